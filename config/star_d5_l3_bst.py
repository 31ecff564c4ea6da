# G(5,3), the belief-state transformer on a 10,000-step schedule: escapes the cheat in 1 seed of 5 (1.00), 1/5 in the rest.
out_dir = 'out/star_d5_l3_bst'
deg = 5
path_len = 3
objective = 'bst'
max_iters = 10000
eval_interval = 1000
