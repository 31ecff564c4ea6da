# G(2,5) over 50 labels, reversed target (g, ..., s): each node is the unique parent of the last.
# Measured here (python sweep.py, seeds 1-3 = python train.py config/star_d2_l5_reverse.py --seed=S):
# path accuracy >= 0.99 by step 500-1500, 1.000 for all three seeds at step 3000.
# Wall: 2.9-3.0 min per seed on one thread (python sweep.py --jobs=2, two runs side by side).
out_dir = 'out/star_d2_l5_reverse'
deg = 2
path_len = 5
num_nodes = 50
objective = 'reverse'
max_iters = 3000
eval_interval = 500
