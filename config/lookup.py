# When the one-edge lookup forms: `python sweep.py --grid=lookup` runs this on G(d,l) for several d and l, both
# target orders, 3 seeds; lookup_study.py fits the formation times. The core model, an evaluation every 100 steps,
# stopping at the first where the lookup has formed (stop_at_lookup), or at the 20,000-step cap.
out_dir = 'out/lookup'
max_iters = 20000        # the cap; the cosine runs over it, so every run has the same lr at the same step
eval_interval = 100
eval_samples = 1000      # test graphs per evaluation (does not change training)
log_interval = 500
stop_at_lookup = True
