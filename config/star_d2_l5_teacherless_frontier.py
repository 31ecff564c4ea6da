# Teacherless alone (the paper's objective) with edge-local attention, which forms the hops back from g, and the
# frontier hold on the a1 slot, which keeps it off the 1/2 guess until they exist: the pair's reverse half is not needed.
# The positive control on G(2,5), with a cooldown that takes a1's last errors away: >= 0.99 in 5 seeds of 6 (LOG.md).
out_dir = 'out/star_d2_l5_teacherless_frontier'
objective = 'teacherless'
a1_wait_acc = 0.95       # a hop is learned once its slot is this accurate on train graphs at an evaluation
a1_stand_in = 'frontier' # the a1 slot's target until a2 is learned: a3, then a2
edge_local = True        # each edge-list token attends to its own edge only; the query and path see every edge
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass
n_head = 2
n_embd = 64
batch_size = 256
cooldown_iters = 1000    # learning_rate (1e-3) held after the warmup, then linear to min_lr over the last 1,000 steps
min_lr = 1e-4
max_iters = 11000        # ~57 min on one thread of the 2-core Xeon: the most the hour allows
eval_interval = 500      # evaluations (each also on 1,000 train graphs) decide when the a1 slot's target moves on
eval_samples = 1000
