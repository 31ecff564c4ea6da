# star_d2_l5_teacherless_reverse_edge_local.py with no loss on the teacherless a1 slot for the first 4,000 steps:
# hops 1 and 2 form before a1 can take the 1/2 guess; seeds 3-5: 0.993, 0.612, 0.988 at step 8,000 (LOG.md).
out_dir = 'out/star_d2_l5_teacherless_reverse_hold_a1'
objective = 'teacherless_reverse'
a1_loss_from = 4000      # no teacherless a1 loss before this step
edge_local = True        # each edge-list token attends to its own edge only; the query and path see every edge
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass
n_head = 2
n_embd = 64
batch_size = 128
min_lr = 1e-3            # a constant learning rate after the warmup
max_iters = 8000
eval_samples = 1000      # test graphs per evaluation (does not change training)
