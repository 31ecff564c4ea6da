# G(2,5) over 50 labels, teacher forcing: the paper's headline failure.
# Measured here (python sweep.py, seeds 1-3 = python train.py config/star_d2_l5.py --seed=S):
# forced accuracy 1.00 at positions 1, 3, 4, 5 from step 500 on; position 2 at
# 0.49-0.51, so path accuracy 0.49, 0.51, 0.51 at step 3000: the Clever-Hans cheat.
# Default seed: path_acc 0.503, forced 1.00 0.50 1.00 1.00 1.00 at step 3000; 1 min 53 s wall in all
# (python train.py config/star_d2_l5.py, fresh venv, nothing else running on the 2-core CPU).
out_dir = 'out/star_d2_l5'
deg = 2
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
