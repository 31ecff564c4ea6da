# G(5,5) over 50 labels, teacher forcing, trained ~7x longer than star_d5_l5.py (20000 steps,
# 6.4 epochs of the 200k graphs): does the Clever-Hans lookup form, given time?
# NOT RUN yet: no measured result.
out_dir = 'out/star_d5_l5_long'
deg = 5
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 20000
eval_interval = 1000
