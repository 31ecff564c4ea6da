# Any-order masked training at its reference's size on G(2,5): 8 layers of width 256 (the reference splits them
# 4 encoder + 4 decoder), lr 1e-3, batch 256; decoding the most confident mask first (left to right: --decode=...).
out_dir = 'out/lit_mlm_u'
objective = 'mlm_u'
decode = 'confidence'
n_layer = 8
n_head = 8
n_embd = 256
batch_size = 256
max_iters = 6000
eval_interval = 500
