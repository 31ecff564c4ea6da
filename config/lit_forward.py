# Teacher forcing at the paper's 6 x 384 on G(2,5) and G(5,5) (--deg=5): does the cheat form at that size, where
# the 3 x 96 core model forms no lookup on G(5,5)?
out_dir = 'out/lit_forward'
n_layer = 6
n_head = 6
n_embd = 384
batch_size = 256
learning_rate = 1e-4
min_lr = 1e-5
max_iters = 3000
eval_interval = 500
