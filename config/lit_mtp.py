# Multi-token prediction at its reference's size on G(2,5): 6 x 384, 4 heads (n_future), batch 256, lr 1e-4
# (the reference runs ~78k steps; a GPU window runs the steps below).
out_dir = 'out/lit_mtp'
objective = 'mtp'
n_layer = 6
n_head = 6
n_embd = 384
batch_size = 256
learning_rate = 1e-4
min_lr = 1e-5
max_iters = 4000
eval_interval = 500
