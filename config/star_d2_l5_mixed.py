# G(2,5) over 50 labels, objective 'mixed' (objectives.py): teacherless loss + ntp_weight x next-token
# loss, one pass over both inputs; decoded teacherless (one parallel pass), so path accuracy is the
# teacherless model's. Nagarajan et al. 2025 mix the two because small transformers find teacherless
# training hard to optimise.
# Measured here, seed 1 (python sweep.py --grid=objectives --seeds=1 = python train.py
# config/star_d2_l5_mixed.py --seed=1 --threads=1, beside other runs on the 2-core CPU): path accuracy
# 0.002 at steps 1,000-3,000; position 2 at 0.49-0.50 (it picks one of s's two children), positions 3-4
# at 0.19-0.25: not learned. On G(5,3) (--deg=5 --path_len=3): 0.186, position 2 at 1/5. 13.4 min (G(2,5))
# and 15.7 min (G(5,3)) wall, with three runs sharing the two cores.
# Seeds 1-3 (python sweep.py --grid=objectives --jobs=2): 0.002, 0.002, 0.001; G(5,3): 0.185, 0.150, 0.191.
out_dir = 'out/star_d2_l5_mixed'
deg = 2
path_len = 5
num_nodes = 50
objective = 'mixed'
max_iters = 3000
eval_interval = 500
