# G(5,5) over 50 labels, reversed target: the paper reports ~100%.
# Measured here (python sweep.py --grid=large --jobs=2, seed 1, 6.2 min on one thread beside
# another run): path_acc 0.000 at step 3000, forced_acc 1.00 0.05 0.05 0.06 1.00: the parent
# lookup that solves G(2,5) by step 1000 does not form here in 3000 steps. Neither with
# --learning_rate=3e-3 --max_iters=6000 (14.2 min: 0.000) nor with --n_layer=6 --n_head=6
# --n_embd=192 (2.68M parameters, 40.6 min: 0.000), each on one thread beside the other.
# The paper's G(5,5) row (issue 15: lookup formed and path_acc 1/d, reverse >= 0.99, within 60 min on
# our CPU) is NOT reached. The lookup study (README, python sweep.py --grid=lookup; lookup_study.py) ran
# this model on G(5,5) for 3 seeds, reverse: the lookup had not formed in any by ~1.1M graphs
# (17,000+ steps), and its fit expects it after ~3.1e9 graphs at this model size.
out_dir = 'out/star_d5_l5_reverse'
deg = 5
path_len = 5
num_nodes = 50
objective = 'reverse'
max_iters = 3000
eval_interval = 500
