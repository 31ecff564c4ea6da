# G(2,5) over 50 labels, reversed target (g, ..., s): each node is the unique parent of the last.
# Measured here (python sweep.py, seeds 1-3 = python train.py config/star_d2_l5_reverse.py --seed=S):
# path accuracy >= 0.99 by step 500-1500, 1.000 for all three seeds at step 3000.
# Wall: 7.8-17.6 min per seed in the sweep, with other jobs sharing the 2 cores (not measured alone).
out_dir = 'out/star_d2_l5_reverse'
deg = 2
path_len = 5
num_nodes = 50
objective = 'reverse'
max_iters = 3000
eval_interval = 500
