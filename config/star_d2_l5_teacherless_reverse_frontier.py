# star_d2_l5_teacherless_reverse_hold_a1.py with the a1 slot asked, until the hops back from g have formed, for the
# next hop the other slots have not yet learned (a3, then a2), and for a1 from then on, whenever that is in the seed.
# Seeds 1-3: 0.485, 0.998, the 1/2 guess (stopped at 6,000); 40 min a run. With 10 layers, seeds 1, 3: 0.51, 0.91 (LOG.md).
out_dir = 'out/star_d2_l5_teacherless_reverse_frontier'
objective = 'teacherless_reverse'
a1_wait_acc = 0.95       # a hop is learned once its slot is this accurate on train graphs at an evaluation
a1_stand_in = 'frontier' # the a1 slot's target until a2 is learned: a3, then a2
edge_local = True        # each edge-list token attends to its own edge only; the query and path see every edge
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass
n_head = 2
n_embd = 64
batch_size = 128
min_lr = 1e-3            # a constant learning rate after the warmup
max_iters = 8000
eval_interval = 500      # evaluations (each also on 1,000 train graphs) decide when the a1 slot's target moves on
eval_samples = 1000
