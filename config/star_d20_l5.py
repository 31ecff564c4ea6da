# G(20,5) over 100 labels, teacher forcing: the loss stays flat (the paper's 'cannot be fitted').
out_dir = 'out/star_d20_l5'
deg = 20
num_nodes = 100
max_iters = 3000
