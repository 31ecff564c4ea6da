# G(2,5), the belief-state transformer (forward and backward encoders): the cheat, or no lookup, at this size.
out_dir = 'out/star_d2_l5_bst'
objective = 'bst'
max_iters = 3000
