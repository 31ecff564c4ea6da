# G(5,5), teacherless: learns the copies of s and g only.
out_dir = 'out/star_d5_l5_teacherless'
deg = 5
objective = 'teacherless'
max_iters = 3000
