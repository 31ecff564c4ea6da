# G(2,5), next-token loss + token-order prediction: the cheat, as teacher forcing.
out_dir = 'out/star_d2_l5_top'
objective = 'top'
max_iters = 3000
