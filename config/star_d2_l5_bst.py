# G(2,5) over 50 labels, objective 'bst' (objectives.py). Not yet measured.
out_dir = 'out/star_d2_l5_bst'
deg = 2
path_len = 5
num_nodes = 50
objective = 'bst'
max_iters = 3000
eval_interval = 500
