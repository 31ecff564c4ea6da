# G(2,5) over 50 labels, reversed target (g, ..., s), a Mamba (mamba.py) of the core GPT's width
# and depth: each node is the unique parent of the last, so the task is easy.
# Measured, $ python train.py config/star_d2_l5_mamba_reverse.py (one thread of this shared
# 2-core CPU, 13.7 min wall in all; from out_dir/log.jsonl, test split):
#   iter 1000 (161 s): path_acc 0.535, forced_acc 1.00 0.79 0.82 0.85 1.00
#   iter 3000 (484 s): path_acc 0.995, forced_acc 1.00 1.00 1.00 1.00 1.00
#   iter 5000 (811 s): path_acc 1.000, forced_acc 1.00 1.00 1.00 1.00 1.00
# With max_iters = 3000 (so a shorter lr decay) it ended at path_acc 0.980 (511 s): still climbing.
# Sweep (python sweep.py --jobs=2: seeds 1-3, two one-thread runs side by side, nothing else running):
#   path_acc 0.995, 1.000, 1.000 at step 5000; 13.1-13.5 min per seed.
out_dir = 'out/star_d2_l5_mamba_reverse'
deg = 2
path_len = 5
num_nodes = 50
objective = 'reverse'
model_type = 'mamba'
n_layer = 3
n_embd = 96
d_state = 16
d_conv = 4
expand = 2
learning_rate = 3e-3  # as config/star_d2_l5_mamba.py, where 1e-3 stays on a loss plateau
max_iters = 5000  # 3000 stopped it short of 0.99
eval_interval = 500
threads = 1  # the scan's many small ops stall on OpenMP barriers on this shared 2-core CPU: 4x faster
