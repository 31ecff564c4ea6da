# G(20,5) over 100 labels (81 nodes), teacher forcing: the paper's model cannot even fit it.
# Measured here (python sweep.py --grid=large --jobs=2, seed 1, 30.5 min on one thread beside
# another run): path_acc 0.000 at step 3000, inner positions 0.01 teacher-forced, loss flat at
# 2.76-2.78 from step 500: not fitted either.
out_dir = 'out/star_d20_l5'
deg = 20
path_len = 5
num_nodes = 100
objective = 'forward'
max_iters = 3000
eval_interval = 500
