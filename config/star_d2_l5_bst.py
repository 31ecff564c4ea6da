# G(2,5) over 50 labels, objective 'bst' (objectives.py): the belief-state transformer. The model is the
# forward encoder, a second GPT of the same size the backward encoder (the path read backwards from an
# end marker); a residual MLP on the two states predicts the next and the previous token over all
# 15 (prefix, suffix) pairs of the path. Decoding: forward encoder + the empty suffix's state (Hu et al. 2025).
# Measured here, seed 1 (python sweep.py --grid=objectives --seeds=1 = python train.py
# config/star_d2_l5_bst.py --seed=1 --threads=1): the Clever-Hans signature by step 1,000, path accuracy
# 0.511 at step 3,000; 12.0 min wall (three runs sharing the two cores). Longer, --max_iters=10000
# --eval_interval=1000: 0.48, 0.52, 0.50, 0.49, 0.50, 0.53 at steps 1,000-6,000, where it was stopped
# (still the cheat). On G(5,3) the same objective escaped in one seed of five: config/star_d5_l3_bst.py.
# Seeds 1-3 (python sweep.py --grid=objectives --jobs=2): 0.511, 0.498, 0.014; seed 3 had not formed the lookup
# by step 3,000, and on the 10,000-step schedule (--seed=3 --max_iters=10000 --eval_interval=1000) formed it at
# step 4,000 and cheated (0.38, 0.45, 0.47 at 4,000-6,000; stopped at 7,000). G(5,3): 0.259, 0.194, 0.200.
out_dir = 'out/star_d2_l5_bst'
deg = 2
path_len = 5
num_nodes = 50
objective = 'bst'
max_iters = 3000
eval_interval = 500
