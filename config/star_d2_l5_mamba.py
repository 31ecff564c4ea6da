# G(2,5) over 50 labels, teacher forcing, a Mamba (mamba.py) of the core GPT's width and depth
# (3 layers, n_embd 96, d_state 16): the paper's claim that Mamba fails like the Transformer.
# Measured, $ python train.py config/star_d2_l5_mamba.py (one thread of this shared 2-core CPU,
# 10.9 min wall in all, eval included; from out_dir/log.jsonl, test split):
#   iter 1000 (262 s): path_acc 0.071, forced_acc 1.00 0.31 0.48 0.53 1.00 (leaving the plateau)
#   iter 2000 (466 s): path_acc 0.471, forced_acc 1.00 0.48 0.99 0.99 1.00
#   iter 3000 (644 s): path_acc 0.477, forced_acc 1.00 0.48 1.00 1.00 1.00
# The Clever-Hans signature: positions 1 and 3..5 fitted, position 2 (the one decision) at 1/2.
# Sweep (python sweep.py --jobs=2: seeds 1-3, two one-thread runs side by side, nothing else running):
#   path_acc 0.503, 0.526, 0.521 at step 3000, positions 3..5 at 1.00; 7.7-7.9 min per seed.
# On the authors' own test file, $ python sample.py --out_dir=out/star_d2_l5_mamba
#   --data=../shared/data/authors_deg_2_path_5_nodes_50_test_20000.txt: path_acc 0.494,
#   forced_acc 1.000 0.498 0.996 0.996 1.000 over its 20,000 graphs.
out_dir = 'out/star_d2_l5_mamba'
deg = 2
path_len = 5
num_nodes = 50
objective = 'forward'
model_type = 'mamba'
n_layer = 3
n_embd = 96
d_state = 16
d_conv = 4
expand = 2
learning_rate = 3e-3  # the GPT's 1e-3 left it on the loss plateau (~1.2, forced_acc ~0.2 at 3..4) up to iter 1800
max_iters = 3000
eval_interval = 500
threads = 1  # the scan's many small ops stall on OpenMP barriers on this shared 2-core CPU: 4x faster
