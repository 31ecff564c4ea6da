# G(2,5), teacherless loss + ntp_weight x next-token loss (objectives.py): picks one of s's children, no escape here.
out_dir = 'out/star_d2_l5_mixed'
objective = 'mixed'
max_iters = 3000
