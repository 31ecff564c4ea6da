# star_d2_l5_teacherless_reverse_a2_first.py with the a1 slot asked for a2 until the hops back from g have formed
# (an evaluation finds the other slots 0.95 right on train graphs), not for a fixed 4,000 steps.
out_dir = 'out/star_d2_l5_teacherless_reverse_a2_until_hops'
objective = 'teacherless_reverse'
a1_wait_acc = 0.95       # the a1 slot's own target once every other slot is this accurate at an evaluation
a1_stand_in = 'a2'       # ... and a2 before it
edge_local = True        # each edge-list token attends to its own edge only; the query and path see every edge
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass
n_head = 2
n_embd = 64
batch_size = 128
min_lr = 1e-3            # a constant learning rate after the warmup
max_iters = 8000
eval_interval = 500      # evaluations (every one on 1,000 train graphs too) decide when the a1 target comes back
eval_samples = 1000
