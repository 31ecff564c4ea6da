# G(5,5) over 50 labels, the belief-state transformer (objective 'bst', objectives.py): issue 14's question
# of what the literature's solved graph costs here. Teacher forcing on this graph does not even form the
# one-edge lookup (config/star_d5_l5.py: positions 2-4 at chance among the inner nodes through 20,000 steps).
# Measured here, seed 1 (python sweep.py --grid=d5_l5_bst = python train.py config/star_d5_l5_bst.py --seed=1
# --threads=1; 55.4 min on one thread beside one or two other runs, ~250 ms/step): path accuracy 0.0000-0.0005
# at every evaluation to step 10,000; teacher-forced positions 2-4 at 0.05-0.07 throughout, below the 1/5
# of a guessed arm: not even the one-edge lookup formed (the backward head's accuracy is not logged);
# training loss 2.34 -> 1.91, still falling slowly. Not learned at this size and budget (the literature: two 6 x 768 encoders, batch 256).
out_dir = 'out/star_d5_l5_bst'
deg = 5
path_len = 5
num_nodes = 50
objective = 'bst'
max_iters = 10000
eval_interval = 1000
