# G(2,5), fine-tuning GPT-2 with teacher forcing, the authors' settings (batch 16, a constant lr 1e-5, AdamW without
# weight decay, betas (0.9, 0.999), no clipping); the paper's model is --init_from=gpt2-large. Needs requirements-pretrained.txt.
out_dir = 'out/gpt2_d2_l5'
init_from = 'gpt2'
batch_size = 16
learning_rate = 1e-5
min_lr = 1e-5
weight_decay = 0.0
beta2 = 0.999
grad_clip = 0.0
max_iters = 12500        # one epoch of the 200,000 graphs
eval_interval = 2500
