# G(5,5) over 50 labels, the belief-state transformer (objective 'bst', objectives.py): issue 14's question
# of what the literature's solved graph costs here. Teacher forcing on this graph does not even form the
# one-edge lookup (config/star_d5_l5.py: positions 2-4 at chance among the inner nodes through 20,000 steps).
out_dir = 'out/star_d5_l5_bst'
deg = 5
path_len = 5
num_nodes = 50
objective = 'bst'
max_iters = 10000
eval_interval = 1000
