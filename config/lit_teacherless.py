# Teacherless at the paper's size on G(2,5): a 12 x 384 GPT, lr 5e-4, batch 256 (the paper trains 500 epochs; on a
# GPU window this runs the steps below, ~7.7 epochs). For `python sweep.py --grid=literature --device=cuda`.
out_dir = 'out/lit_teacherless'
objective = 'teacherless'
n_layer = 12
n_head = 6
n_embd = 384
batch_size = 256
learning_rate = 5e-4
min_lr = 5e-5
max_iters = 6000
eval_interval = 500
