# Path accuracy against depth: `python sweep.py --grid=depth` runs this config at n_layer 3, 6, 12 on
# G(2,3), G(2,4), G(2,5), where a one-pass decoder must chain 1, 2, 3 parent lookups back from g to a1.
out_dir = 'out/depth'
objective = 'teacherless'
max_iters = 6000
eval_samples = 1000      # test graphs per evaluation (does not change training)
