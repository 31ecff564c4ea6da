# G(5,3) over 50 labels, teacher forcing, on the long schedule of config/star_d5_l3_bst.py
# (10,000 steps, cosine decay): the control for the belief-state transformer's result there,
# so that the objective, not the schedule, is what the comparison shows.
# Measured here, seed 1 (python sweep.py --grid=d5_l3_long --jobs=2 --seeds=1, one thread beside another run):
# path accuracy 0.19-0.22 at every evaluation (0.1995 at step 10,000), forced accuracy 1.00 0.20 1.00:
# s and g copied, a1 guessed among s's 5 children; 27.0 min. With --objective=reverse (g, a1, s: a1 is
# the goal's parent, a lookup): 0.19 through step 4,000, then 0.32, 0.39, 0.46, 0.50, 0.54, 0.55 at steps
# 5,000-10,000; 27.7 min. BST on the same schedule: 1.00 (config/star_d5_l3_bst.py).
out_dir = 'out/star_d5_l3'
deg = 5
path_len = 3
num_nodes = 50
objective = 'forward'
max_iters = 10000
eval_interval = 1000
