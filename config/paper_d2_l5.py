# The authors' model on G(2,5): a 6 x 384 GPT (10.65M parameters), batch 256, lr 1e-4. For bench.py: too slow for a CPU run.
out_dir = 'out/paper_d2_l5'
n_layer = 6
n_head = 6
n_embd = 384
batch_size = 256
learning_rate = 1e-4
min_lr = 1e-5
