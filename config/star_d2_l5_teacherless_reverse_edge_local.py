# star_d2_l5_teacherless_reverse_b128.py with edge-local attention: an edge-list token sees only its own edge, so
# the chain back from g runs at the path positions (where every edge is visible) and cannot depend on edge order.
out_dir = 'out/star_d2_l5_teacherless_reverse_edge_local'
objective = 'teacherless_reverse'
edge_local = True        # each edge-list token attends to its own edge only; the query and path see every edge
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass
n_head = 2
n_embd = 64
batch_size = 128
min_lr = 1e-3            # a constant learning rate after the warmup
max_iters = 8000
eval_samples = 1000      # test graphs per evaluation (does not change training)
