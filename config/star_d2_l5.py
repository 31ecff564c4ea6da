# G(2,5) over 50 labels, teacher forcing: the paper's headline failure.
# Measured here (python sweep.py, seeds 1-3 = python train.py config/star_d2_l5.py --seed=S):
# forced accuracy 1.00 at positions 1, 3, 4, 5 from step 500 on; position 2 at
# 0.50-0.52, so path accuracy 0.497, 0.511, 0.516 at step 3000: the Clever-Hans cheat.
# 2.9 min per seed on one thread (python sweep.py --jobs=2, two runs side by side).
# Default seed: path_acc 0.503, forced 1.00 0.50 1.00 1.00 1.00 at step 3000; 1 min 53 s wall in all
# (python train.py config/star_d2_l5.py, fresh venv, nothing else running on the 2-core CPU).
out_dir = 'out/star_d2_l5'
deg = 2
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
