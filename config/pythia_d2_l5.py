# G(2,5), fine-tuning Pythia-410M (deduped) with the authors' settings, as gpt2_d2_l5.py. Needs requirements-pretrained.txt.
out_dir = 'out/pythia_d2_l5'
init_from = 'pythia-410m-deduped'
batch_size = 16
learning_rate = 1e-5
min_lr = 1e-5
weight_decay = 0.0
beta2 = 0.999
grad_clip = 0.0
max_iters = 12500        # one epoch of the 200,000 graphs
eval_interval = 2500
