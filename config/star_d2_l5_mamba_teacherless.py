# G(2,5), teacherless with a Mamba: learns the copies of s and g only.
out_dir = 'out/star_d2_l5_mamba_teacherless'
objective = 'teacherless'
model_type = 'mamba'
learning_rate = 3e-3     # as star_d2_l5_mamba.py
max_iters = 3000
threads = 1              # as star_d2_l5_mamba.py
