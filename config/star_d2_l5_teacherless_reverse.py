# G(2,5), teacherless and reverse trained together in the same weights (objective 'teacherless_reverse'), decoding
# teacherless, s to g: escapes the cheat in 2 seeds of 3 by step 8,000 (0.922, 0.985, 0.000; sweep.py --grid=cure).
out_dir = 'out/star_d2_l5_teacherless_reverse'
objective = 'teacherless_reverse'
n_layer = 8              # a1 = parent(parent(parent(g))) in one pass: 6 layers reach the second hop only
min_lr = 1e-3            # a constant learning rate after the warmup: the last hop forms late, at full rate
max_iters = 8000
eval_samples = 1000      # test graphs per evaluation (does not change training)
