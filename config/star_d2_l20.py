# G(2,20), teacher forcing: the paper's long-path graph; no lookup in 3,000 steps here.
out_dir = 'out/star_d2_l20'
path_len = 20
max_iters = 3000
