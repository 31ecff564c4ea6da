# G(5,5), reverse: the paper reports ~100%; here the parent lookup does not form in 3,000 steps.
out_dir = 'out/star_d5_l5_reverse'
deg = 5
objective = 'reverse'
max_iters = 3000
