# G(5,5), teacher forcing for 20,000 steps: still no lookup.
out_dir = 'out/star_d5_l5_long'
deg = 5
max_iters = 20000
eval_interval = 1000
