# G(5,5), the belief-state transformer on G(5,3)'s 10,000-step schedule: no lookup forms (the literature's BST is far larger).
out_dir = 'out/star_d5_l5_bst'
deg = 5
objective = 'bst'
max_iters = 10000
eval_interval = 1000
