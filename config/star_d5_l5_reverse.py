# G(5,5) over 50 labels, reversed target: the paper reports ~100%.
out_dir = 'out/star_d5_l5_reverse'
deg = 5
path_len = 5
num_nodes = 50
objective = 'reverse'
max_iters = 3000
eval_interval = 500
