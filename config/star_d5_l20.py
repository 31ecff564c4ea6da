# G(5,20) over 100 labels (96 nodes), teacher forcing.
out_dir = 'out/star_d5_l20'
deg = 5
path_len = 20
num_nodes = 100
objective = 'forward'
max_iters = 3000
eval_interval = 500
