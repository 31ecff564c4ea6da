# G(5,5) over 50 labels, teacherless.
# Measured here (python sweep.py --grid=large --jobs=2, seed 1, 6.2 min on one thread beside
# another run): path_acc 0.000 at step 3000, forced_acc 1.00 0.06 0.06 0.06 1.00.
out_dir = 'out/star_d5_l5_teacherless'
deg = 5
path_len = 5
num_nodes = 50
objective = 'teacherless'
max_iters = 3000
eval_interval = 500
