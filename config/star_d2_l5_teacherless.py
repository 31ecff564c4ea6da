# G(2,5) over 50 labels, teacherless: answer inputs are the dummy token $, one parallel pass.
# Measured here (python sweep.py, seeds 1-3 = python train.py config/star_d2_l5_teacherless.py --seed=S):
# path accuracy 0.000 for all three seeds at step 3000 (about one epoch): positions 1
# and 5 (copies of s and g) at 1.00, positions 2-4 at 0.16-0.18, a guess among the
# graph's inner nodes. Also tried: 10,000 steps (3 layers; 6 layers, 6 heads): still
# at 0.15-0.18 when stopped at steps 3,000 and 1,500. The paper trains for up to 500 epochs.
# Wall: 2.9 min per seed on one thread (python sweep.py --jobs=2, two runs side by side).
out_dir = 'out/star_d2_l5_teacherless'
deg = 2
path_len = 5
num_nodes = 50
objective = 'teacherless'
max_iters = 3000
eval_interval = 500
