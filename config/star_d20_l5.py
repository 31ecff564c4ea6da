# G(20,5) over 100 labels (81 nodes), teacher forcing: the paper's model cannot even fit it.
# NOT RUN on this CPU yet (session time went to the G(2,5) grid): no measured result.
# Run it with python sweep.py --grid=large (one seed), or directly.
out_dir = 'out/star_d20_l5'
deg = 20
path_len = 5
num_nodes = 100
objective = 'forward'
max_iters = 3000
eval_interval = 500
