# G(20,5) over 100 labels (81 nodes), teacher forcing: the paper's model cannot even fit it.
out_dir = 'out/star_d20_l5'
deg = 20
path_len = 5
num_nodes = 100
objective = 'forward'
max_iters = 3000
eval_interval = 500
