# G(5,20) over 100 labels (96 nodes), teacher forcing.
# NOT RUN on this CPU yet (session time went to the G(2,5) grid): no measured result.
# Run it with python sweep.py --grid=large (one seed), or directly.
out_dir = 'out/star_d5_l20'
deg = 5
path_len = 20
num_nodes = 100
objective = 'forward'
max_iters = 3000
eval_interval = 500
