# G(2,5), teacher forcing with a Mamba of the core GPT's size: it fails as the Transformer does (path accuracy 1/2).
out_dir = 'out/star_d2_l5_mamba'
model_type = 'mamba'
learning_rate = 3e-3     # the GPT's 1e-3 leaves a Mamba on the loss plateau for ~2,000 steps
max_iters = 3000
threads = 1              # the scan's many small ops stall on OpenMP barriers with several threads
