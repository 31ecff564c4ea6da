# G(2,20) over 50 labels, teacher forcing: long arms, the paper reports ~1/2.
out_dir = 'out/star_d2_l20'
deg = 2
path_len = 20
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
