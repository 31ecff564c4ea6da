# G(2,4), teacherless and reverse trained together in the same weights (objective 'teacherless_reverse'): the
# reverse half forms the parent lookup, the teacherless slots reuse it hop by hop; decodes teacherless, s to g.
out_dir = 'out/star_d2_l4_teacherless_reverse'
path_len = 4
objective = 'teacherless_reverse'
n_layer = 6              # the default 3 cannot chain a1 = parent(parent(g)) in one pass
max_iters = 6000
eval_samples = 1000      # test graphs per evaluation (does not change training)
