# G(5,5) over 50 labels, teacher forcing: the paper reports path accuracy ~1/5.
# Measured here ($ python train.py config/star_d5_l5.py --threads=1, one thread, another job
# sharing the CPU, 7.1 min): at step 3000 path_acc 0.000, forced_acc 1.00 0.06 0.05 0.06 1.00.
# Positions 2-4 stay at chance among the 19 inner nodes from step 500 on: unlike G(2,5), the
# Clever-Hans lookup does NOT form within 3000 steps at this size (the plateau of the issue's
# probe), so the paper's ~1/5 is not reproduced here; longer runs were not tried.
out_dir = 'out/star_d5_l5'
deg = 5
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
