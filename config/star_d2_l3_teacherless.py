# G(2,3), teacherless, where it succeeds: a1 is g's parent, one lookup, which 6 layers learn (1.00 in 3 seeds).
out_dir = 'out/star_d2_l3_teacherless'
path_len = 3
objective = 'teacherless'
n_layer = 6              # the default 3 stays near 1/2 on this schedule
batch_size = 128         # graphs per step
max_iters = 6000
eval_samples = 1000
