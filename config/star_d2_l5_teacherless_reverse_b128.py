# star_d2_l5_teacherless_reverse.py at width 64 and batch 128 (about the same step cost): every seed chains the
# hops back from g, one after another, but by step 8,000 only seed 1 has the last (seeds 1-3: 0.999, 0.780, 0.443);
# on an H100, 1 seed of 6 by step 16,000 (sweep.py --grid=cure_seeds): an existence proof, not yet a control.
out_dir = 'out/star_d2_l5_teacherless_reverse_b128'
objective = 'teacherless_reverse'
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass: 6 layers reach the second hop only
n_head = 2
n_embd = 64              # narrower, so that batch 128 costs what 8 x 96 at batch 64 does
batch_size = 128         # the lever that made the one-edge lookup form sooner (results/lookup_formation.md)
min_lr = 1e-3            # a constant learning rate after the warmup: the last hop forms late, at full rate
max_iters = 8000
eval_samples = 1000      # test graphs per evaluation (does not change training)
