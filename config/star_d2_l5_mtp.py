# G(2,5) over 50 labels, objective 'mtp' (objectives.py): n_future=4 heads; head 0 is the model's last
# block (decoding uses it), heads 1-3 one new block each on the first n_layer-1 blocks; head k at
# position t predicts token t+1+k (Gloeckle et al. 2024).
# Measured here, seed 1 (python sweep.py --grid=objectives --seeds=1 = python train.py
# config/star_d2_l5_mtp.py --seed=1 --threads=1, beside other runs on the 2-core CPU): the extra heads
# delay the Clever-Hans lookup: inner positions at 0.16-0.23 through step 2,000 (the plain model fits
# them by step 500), then 0.93 and 0.91 at step 3,000 with position 2 at 0.47: path accuracy 0.384, the
# cheat forming, not escaped. On G(5,3): 0.181, position 2 at 1/5. 18.1 and 20.0 min wall (three runs
# sharing the two cores).
# Seeds 1-3 (python sweep.py --grid=objectives --jobs=2): 0.384, 0.012 (no lookup by step 3,000), 0.501
# (lookup and cheat at step 1,500): the heads delay the cheat, they do not avoid it; G(5,3): 0.181, 0.172, 0.177.
out_dir = 'out/star_d2_l5_mtp'
deg = 2
path_len = 5
num_nodes = 50
objective = 'mtp'
max_iters = 3000
eval_interval = 500
