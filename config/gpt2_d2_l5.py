# G(2,5) over 50 labels, fine-tuning pretrained GPT-2 with teacher forcing: the paper's main Transformer
# setting, with the authors' fine-tuning hyperparameters (their README: finetune.py --model gpt2-large
# --batch_size 16 --lr 0.00001; their code: AdamW without weight decay, betas (0.9, 0.999), 100 warm-up
# steps, no gradient clipping, the cosine ending at 1e-5, i.e. a constant 1e-5).
# GPT-2 small here; the paper's model: --init_from=gpt2-large. Needs pip install -r requirements-pretrained.txt
# and the weights in the local Hugging Face cache or a directory (pretrained.py).
# Step time (python bench.py config/gpt2_d2_l5.py --compare_dtypes=False, 2-core AMD EPYC, fp32): 4.12 s,
# so this config's 12,500 steps would take ~14 h on that CPU. max_iters is our choice (the authors' loop
# runs up to 100 epochs of 12,500 steps): one epoch of the 200,000 graphs. Not run: no weights on our machines.
out_dir = 'out/gpt2_d2_l5'
init_from = 'gpt2'
deg = 2
path_len = 5
num_nodes = 50
objective = 'forward'
batch_size = 16
learning_rate = 1e-5
min_lr = 1e-5
warmup_iters = 100
weight_decay = 0.0
beta2 = 0.999
grad_clip = 0.0
max_iters = 12500
eval_interval = 2500
