# The authors' README model on G(2,5): GPT, 6 layers, 6 heads, width 384
# (10.65M parameters), batch 256, lr 1e-4 (the paper's range is 1e-4 to 5e-4).
# Used by bench.py to compare with the authors' code; too slow for a CPU run.
out_dir = 'out/paper_d2_l5'
deg = 2
path_len = 5
num_nodes = 50
n_layer = 6
n_head = 6
n_embd = 384
batch_size = 256
learning_rate = 1e-4
min_lr = 1e-5
