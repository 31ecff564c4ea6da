# star_d2_l5_teacherless_reverse_hold_a1.py with the teacherless a1 slot asked for a2 (not nothing) for the first
# 4,000 steps: the chain back from g runs in that slot, one hop short, before a1 can take the 1/2 guess.
# Seeds 4-5: 0.992 at 6,000, 0.990 at 8,000; seed 1: no hop by 4,000, then the guess (LOG.md).
out_dir = 'out/star_d2_l5_teacherless_reverse_a2_first'
objective = 'teacherless_reverse'
a1_loss_from = 4000      # the a1 slot's own target from this step on
a1_stand_in = 'a2'       # ... and a2 before it
edge_local = True        # each edge-list token attends to its own edge only; the query and path see every edge
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass
n_head = 2
n_embd = 64
batch_size = 128
min_lr = 1e-3            # a constant learning rate after the warmup
max_iters = 8000
eval_samples = 1000      # test graphs per evaluation (does not change training)
