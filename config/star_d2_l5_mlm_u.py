# G(2,5), any-order masked training (bidirectional), decoding the most confident mask first: no lookup forms here.
out_dir = 'out/star_d2_l5_mlm_u'
objective = 'mlm_u'
max_iters = 3000
decode = 'confidence'    # fill the most confident mask first, not left to right
