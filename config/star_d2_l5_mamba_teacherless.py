# G(2,5) over 50 labels, teacherless (answer inputs are the dummy $, one parallel pass), a Mamba
# (mamba.py) of the core GPT's width and depth.
# Measured, $ python train.py config/star_d2_l5_mamba_teacherless.py (one thread of this shared
# 2-core CPU, 8.2 min wall in all; from out_dir/log.jsonl, test split):
#   iter 1000 (167 s): path_acc 0.000, forced_acc 1.00 0.18 0.18 0.18 1.00
#   iter 3000 (486 s): path_acc 0.065, forced_acc 1.00 0.49 0.40 0.44 1.00 (train path_acc 0.061)
# It does not escape here: with no teacher, positions 3 and 4 are not fitted within this budget.
# Sweep (python sweep.py --jobs=2: seeds 1-3, two one-thread runs side by side, nothing else running):
#   path_acc 0.007, 0.010, 0.010 at step 3000; position 2 at 0.47-0.49, positions 3-4 at 0.23-0.27;
#   7.7-7.9 min per seed.
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
learning_rate = 3e-3  # as config/star_d2_l5_mamba.py, where 1e-3 stays on a loss plateau
max_iters = 3000
eval_interval = 500
threads = 1  # the scan's many small ops stall on OpenMP barriers on this shared 2-core CPU: 4x faster
