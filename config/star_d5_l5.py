# G(5,5), the paper's larger graph, teacher forcing: at this size and budget the lookup does not even form.
out_dir = 'out/star_d5_l5'
deg = 5
max_iters = 3000
