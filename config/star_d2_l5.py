# G(2,5), teacher forcing: the paper's failure. Positions 3..5 are looked up, position 2 guessed: path accuracy 1/2.
out_dir = 'out/star_d2_l5'
max_iters = 3000
