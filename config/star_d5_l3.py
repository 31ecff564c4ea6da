# G(5,3), teacher forcing on BST's 10,000-step schedule, its control: path accuracy 1/5.
out_dir = 'out/star_d5_l3'
deg = 5
path_len = 3
max_iters = 10000
eval_interval = 1000
