# G(5,5) over 50 labels, reversed target: the paper reports ~100%.
# NOT RUN on this CPU yet (session time went to the G(2,5) grid): no measured result.
# Run it with python sweep.py --grid=large (one seed), or directly.
out_dir = 'out/star_d5_l5_reverse'
deg = 5
path_len = 5
num_nodes = 50
objective = 'reverse'
max_iters = 3000
eval_interval = 500
