# G(2,5) over 50 labels, objective 'top' (objectives.py): next-token loss plus token-order prediction,
# an untied second unembedding trained with ListNet to rank every token by how soon it next occurs
# (top_window=0: the whole sequence) (Zuhri et al. 2025). Decoding: the next-token head.
# Measured here, seed 1 (python sweep.py --grid=objectives --seeds=1 = python train.py
# config/star_d2_l5_top.py --seed=1 --threads=1): the Clever-Hans signature by step 1,000 (forced
# 1.00 0.50 1.00 1.00 1.00), path accuracy 0.505 at step 3,000; 6.0 min wall.
# Seeds 1-3 (python sweep.py --grid=objectives --jobs=2): 0.504, 0.515, 0.489, the cheat by step 500 in each;
# G(5,3): 0.206, 0.193, 0.207.
out_dir = 'out/star_d2_l5_top'
deg = 2
path_len = 5
num_nodes = 50
objective = 'top'
max_iters = 3000
eval_interval = 500
