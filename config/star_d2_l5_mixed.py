# G(2,5) over 50 labels, objective 'mixed' (objectives.py). Not yet measured.
out_dir = 'out/star_d2_l5_mixed'
deg = 2
path_len = 5
num_nodes = 50
objective = 'mixed'
max_iters = 3000
eval_interval = 500
