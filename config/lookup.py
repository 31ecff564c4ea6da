# When does the one-edge lookup (the Clever-Hans cheat's half) form? The study of
# issue 15: `python sweep.py --grid=lookup` runs this config on G(d,l) for several
# d and l, teacher forcing and reverse, 3 seeds, and lookup_study.py turns the logs
# into results/lookup_formation.md (table and fit) and .png.
# The core model and optimiser of star_d2_l5.py; each run evaluates every 100
# steps (6,400 graphs) and stops at the first evaluation where the lookup has
# formed (objectives.lookup_formed: forced accuracy >= 0.95 at every lookup
# position), or at the cap, 20,000 steps (1.28M graphs; the cosine schedule
# runs over the cap, so every run has the same learning rate at the same step).
out_dir = 'out/lookup'
deg = 2
path_len = 5
num_nodes = 50
objective = 'forward'
max_iters = 20000
eval_interval = 100
eval_samples = 1000
log_interval = 500
stop_at_lookup = True
