# G(2,5) over 50 labels, teacherless: answer inputs are the dummy token $, one parallel pass.
# The Clever-Hans cheat forms within ~500 steps: positions 1 and 3..5 at 100%,
# position 2 (the one real decision) at ~1/2, so path accuracy ~1/2.
out_dir = 'out/star_d2_l5_teacherless'
deg = 2
path_len = 5
num_nodes = 50
objective = 'teacherless'
max_iters = 3000
eval_interval = 500
