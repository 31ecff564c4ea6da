# G(2,5), a Mamba writing the path g ... s: solved (1.00).
out_dir = 'out/star_d2_l5_mamba_reverse'
objective = 'reverse'
model_type = 'mamba'
learning_rate = 3e-3     # as star_d2_l5_mamba.py
max_iters = 5000         # 3,000 stop it short of 0.99
threads = 1              # as star_d2_l5_mamba.py
