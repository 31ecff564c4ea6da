# G(5,20) over 100 labels (96 nodes), teacher forcing.
# Measured here (python sweep.py --grid=large --jobs=2, seed 1, 44.3 min on one thread beside
# another run): path_acc 0.000 at step 3000, inner positions 0.01 teacher-forced, loss 4.61 ->
# 4.15 (flat from step 2000). CPU-limited: not a finding either way.
out_dir = 'out/star_d5_l20'
deg = 5
path_len = 20
num_nodes = 100
objective = 'forward'
max_iters = 3000
eval_interval = 500
