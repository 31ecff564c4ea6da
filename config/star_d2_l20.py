# G(2,20) over 50 labels, teacher forcing: long arms, the paper reports ~1/2.
# NOT RUN on this CPU yet (session time went to the G(2,5) grid): no measured result.
# Run it with python sweep.py --grid=large (one seed), or directly.
out_dir = 'out/star_d2_l20'
deg = 2
path_len = 20
num_nodes = 50
objective = 'forward'
max_iters = 3000
eval_interval = 500
