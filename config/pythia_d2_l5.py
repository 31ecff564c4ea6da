# G(2,5) over 50 labels, fine-tuning pretrained Pythia-410M (deduped) with teacher forcing: the other model
# the authors' code fine-tunes (their README: --model pythia-410m-deduped), with the hyperparameters of
# config/gpt2_d2_l5.py (the authors' README and code: batch 16, a constant lr 1e-5 after 100 warm-up
# steps, AdamW without weight decay, betas (0.9, 0.999), no gradient clipping).
# Pythia runs as the transformers model (pretrained.py): objectives forward, reverse, teacherless, mixed, top.
# Needs pip install -r requirements-pretrained.txt and the weights in the local Hugging Face cache or a directory.
# Step time (python bench.py config/pythia_d2_l5.py --compare_dtypes=False, 2-core AMD EPYC, fp32): 17.0 s.
# max_iters: one epoch, our choice. Not run: no weights on our machines.
out_dir = 'out/pythia_d2_l5'
init_from = 'pythia-410m-deduped'
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
