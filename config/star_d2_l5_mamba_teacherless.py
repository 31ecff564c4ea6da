# G(2,5) over 50 labels, teacherless, Mamba (mamba.py) of the core GPT's width and depth.
# RESULT: (to be measured)
out_dir = 'out/star_d2_l5_mamba_teacherless'
deg = 2
path_len = 5
num_nodes = 50
objective = 'teacherless'
model_type = 'mamba'
n_layer = 3
n_embd = 96
d_state = 16
d_conv = 4
expand = 2
max_iters = 3000
eval_interval = 500
threads = 1  # the scan's many small ops lose to OpenMP syncing on a shared 2-core CPU: 4x faster with 1 thread here
