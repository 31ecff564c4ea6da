# G(2,5) over 50 labels, teacher forcing: the paper's headline failure.
# The Clever-Hans cheat forms within ~500 steps: positions 1 and 3..5 at 100%,
# position 2 (the one real decision) at ~1/2, so path accuracy ~1/2.
out_dir = 'out/star_d2_l5'
deg = 2
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
