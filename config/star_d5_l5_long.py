# G(5,5) over 50 labels, teacher forcing, trained ~7x longer than star_d5_l5.py (20000 steps,
# 6.4 epochs of the 200k graphs): does the Clever-Hans lookup form, given time?
# Measured here (python sweep.py --grid=large --jobs=2, seed 1, 39.5 min on one thread beside
# another run): no. path_acc 0.000 at every evaluation; forced_acc 1.00 0.07 0.06 0.07 1.00 at
# step 20000, inner positions at 0.05-0.08 at every evaluation; the loss still falls slowly
# (2.15 at step 1000, 1.81 at 20000).
out_dir = 'out/star_d5_l5_long'
deg = 5
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 20000
eval_interval = 1000
