# G(2,5), the path written g ... s: every token is its predecessor's parent, a lookup: path accuracy 1.00.
out_dir = 'out/star_d2_l5_reverse'
objective = 'reverse'
max_iters = 3000
