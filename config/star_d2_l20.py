# G(2,20) over 50 labels, teacher forcing: long arms, the paper reports ~1/2.
# Measured here (python sweep.py --grid=large --jobs=2, seed 1, 15.1 min on one thread beside
# another run): path_acc 0.000 at step 3000, inner positions 0.02-0.03 teacher-forced, loss
# 3.52 -> 3.41: the lookup has not formed over 38 edges, so not even the Clever-Hans signature
# shows yet. CPU-limited: not the paper's ~1/2, and not evidence against it.
out_dir = 'out/star_d2_l20'
deg = 2
path_len = 20
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
