# G(2,5) over 50 labels, objective 'mlm_u' (objectives.py): any-order masked training. Bidirectional
# attention; each graph masks each path token with probability r ~ U(0,1); decode='confidence' fills the
# most confident mask first (--decode=left_to_right in sample.py for the other order) (Kitouni et al. 2024).
# Measured here, seed 1 (python sweep.py --grid=objectives --seeds=1 = python train.py
# config/star_d2_l5_mlm_u.py --seed=1 --threads=1): path accuracy 0.007 at step 3,000; teacher-forced
# inner positions at 0.15-0.25 throughout: the one-edge lookups (parent or child of a visible
# neighbour) never formed, so neither decoding order has anything to use. Also tried (seed 1337):
# the default (0.012 at step 3,000) and learning_rate=3e-3 with 6,000 steps (0.0055 at step 2,000,
# stopped at 2,600). 8.0 min wall.
# Seeds 1-3 (python sweep.py --grid=objectives --jobs=2): 0.007, 0.011, 0.004; G(5,3): 0.200, 0.196, 0.190.
out_dir = 'out/star_d2_l5_mlm_u'
deg = 2
path_len = 5
num_nodes = 50
objective = 'mlm_u'
max_iters = 3000
eval_interval = 500
decode = 'confidence'
