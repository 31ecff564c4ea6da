# G(2,5) over 50 labels, objective 'mtp' (objectives.py). Not yet measured.
out_dir = 'out/star_d2_l5_mtp'
deg = 2
path_len = 5
num_nodes = 50
objective = 'mtp'
max_iters = 3000
eval_interval = 500
