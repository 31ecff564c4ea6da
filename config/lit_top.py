# Token-order prediction near its reference's size on G(2,5): 8 x 384; the reference's batch of 4,096 scaled to
# 1,024 to fit a GPU window (its lr is not stated: ours, 1e-3).
out_dir = 'out/lit_top'
objective = 'top'
n_layer = 8
n_head = 6
n_embd = 384
batch_size = 1024
max_iters = 1500
eval_interval = 500
