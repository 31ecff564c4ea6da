# G(2,3) over 50 labels, teacherless (the paper's positive objective): the one decision a1 is g's
# parent, found from the prefix alone, with no true path token as input. Here teacherless succeeds.
# Measured here (python sweep.py --grid=teacherless --jobs=2; each seed = python train.py
# config/star_d2_l3_teacherless.py --seed=S --threads=1, beside another run on the 2-core EPYC):
#   path accuracy 1.000 for seeds 1, 2, 3 at step 6,000; on the whole 20,000-graph test split 1.0000
#   each (python sample.py --out_dir=out/sweep/star_d2_l3_teacherless_sS --data=test).
#   Every seed first sits at 0.50 (it picks one of s's children, the guess the Clever-Hans cheat makes)
#   from step 500 to 2,000, then jumps: 0.60-0.73 at 2,500, 0.94-1.00 at 3,000, >= 0.999 from 3,500.
#   21.9-25.1 min a run, 0.67M parameters, 768k graphs seen (3.8 epochs).
# One change at a time, seed 1, same schedule (README, "Teacherless that succeeds"): 6 layers at batch 64
# escapes too (1.000; 0.99 at step 4,000); 3 layers at batch 128 only begins to (0.81 at 6,000); the
# 3-layer, batch-64 default does not (0.54). Depth is the lever.
# The same model and batch on G(2,5) (--path_len=5): 0.000 through 6,000 steps (44.6 min): not solved there.
out_dir = 'out/star_d2_l3_teacherless'
deg = 2
path_len = 3
num_nodes = 50
objective = 'teacherless'
n_layer = 6              # the default 3 stays at 0.54 on this schedule
batch_size = 128         # graphs per step (64 escapes too with 6 layers, seed 1)
max_iters = 6000
eval_interval = 500
eval_samples = 1000      # test graphs per evaluation (does not change training)
