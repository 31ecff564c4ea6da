# G(5,20) over 100 labels, teacher forcing: no lookup in 3,000 steps.
out_dir = 'out/star_d5_l20'
deg = 5
path_len = 20
num_nodes = 100
max_iters = 3000
