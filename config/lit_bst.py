# The belief-state transformer at its reference's size on G(2,5) (and on G(5,5), --deg=5, where it was reported):
# two 6 x 768 encoders, 8 heads, a constant lr 1e-4, no weight decay, batch 256, fresh graphs every step.
out_dir = 'out/lit_bst'
objective = 'bst'
n_layer = 6
n_head = 8
n_embd = 768
batch_size = 256
learning_rate = 1e-4
min_lr = 1e-4            # constant after the warmup
weight_decay = 0.0
online = True            # fresh graphs for every batch
max_iters = 2000         # a GPU window's share; the reference ran 5,000 on G(5,5) (loss near 0 by step 4,000)
eval_interval = 500
