# G(2,5), teacherless ('$' for every path input, one pass): at this size it learns only the copies of s and g.
out_dir = 'out/star_d2_l5_teacherless'
objective = 'teacherless'
max_iters = 3000
