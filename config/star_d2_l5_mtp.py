# G(2,5), multi-token prediction, n_future=4 heads: the heads delay the lookup, then the cheat forms.
out_dir = 'out/star_d2_l5_mtp'
objective = 'mtp'
max_iters = 3000
