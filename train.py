"""
Train a GPT (or Mamba) on path-star graphs, nanoGPT-style.

$ python train.py config/star_d2_l5.py
$ python train.py config/star_d2_l5.py --max_iters=2000 --device=cpu

Defaults are the globals below; a config file (Python) overrides them, then
--key=value arguments do. An unknown key or a value of the wrong type is an
error. Several processes (DDP, NCCL on GPUs, gloo on CPUs):
$ torchrun --standalone --nproc_per_node=2 train.py config/star_d2_l5.py
"""
import ast
import json
import math
import os
import sys
import time
from contextlib import nullcontext

import torch

import data

# -----------------------------------------------------------------------------
# default config values
# task
deg = 2                  # arms of the star
path_len = 5             # nodes on a start-to-leaf path, s included
num_nodes = 50           # node labels 0..num_nodes-1
objective = 'forward'    # 'forward' (teacher forcing), 'teacherless' or 'reverse'
n_train = 200000         # training graphs
n_test = 20000           # held-out test graphs (disjoint from train)
seed = 1337              # data, init and batch order
# model
model_type = 'gpt'       # 'gpt' or 'mamba'
n_layer = 3
n_head = 3
n_embd = 96
dropout = 0.0
bias = False             # biases in Linear layers and LayerNorms
d_state = 16             # mamba: SSM state size per channel
d_conv = 4               # mamba: causal conv width
expand = 2               # mamba: inner width = expand * n_embd
backend = 'auto'         # mamba scan: 'auto', 'cuda' (mamba-ssm kernels) or 'torch'
# optimisation
batch_size = 64          # graphs per optimizer step (global, over all processes)
max_iters = 10000        # optimizer steps
learning_rate = 1e-3     # peak, after warmup
min_lr = 1e-4            # end of the cosine decay
warmup_iters = 100       # optimizer steps of linear warmup
weight_decay = 0.1       # on weight matrices only
beta1 = 0.9
beta2 = 0.95
grad_clip = 1.0          # max global gradient norm; 0 = off
# evaluation, logging, checkpoints
out_dir = 'out'
eval_interval = 500      # optimizer steps between evaluations (and checkpoints)
eval_samples = 2000      # test (and as many train) graphs per evaluation; 0 = whole test split
log_interval = 100       # optimizer steps between printed lines
init_from = 'scratch'    # 'scratch' or 'resume' (from out_dir/ckpt.pt)
wandb_log = False
wandb_project = 'pathstar'
wandb_run_name = 'run'
# system
device = 'auto'          # 'auto', 'cpu', 'cuda', 'cuda:1', 'mps'
dtype = 'auto'           # 'auto', 'float32', 'bfloat16', 'float16'
compile = False          # torch.compile the model
threads = 0              # CPU threads for torch; 0 = torch's default
# -----------------------------------------------------------------------------
DEFAULTS = {k: v for k, v in globals().items() if not k.startswith('_') and isinstance(v, (bool, int, float, str))}
CHOICES = dict(objective=('forward', 'teacherless', 'reverse'), model_type=('gpt', 'mamba'),
               init_from=('scratch', 'resume'), backend=('auto', 'cuda', 'torch'),
               dtype=('auto', 'float32', 'bfloat16', 'float16'))


def check_value(key, value, default, where):
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        ok = type(value) is type(default)
    else:  # an int where a float is expected is fine
        ok = type(value) is int or (isinstance(default, float) and type(value) is float)
    if not ok:
        raise ValueError(f"{where}: {key}={value!r} has type {type(value).__name__}, expected {type(default).__name__}")
    if key in CHOICES and value not in CHOICES[key]:
        raise ValueError(f"{where}: {key}={value!r} is not one of {', '.join(map(repr, CHOICES[key]))}")


def load_config(argv, defaults=DEFAULTS):
    """Config files then --key=value overrides of `defaults` -> dict. Unknown
    keys and wrong types raise ValueError naming the key."""
    cfg = dict(defaults)
    for arg in argv:
        if not arg.startswith('--'):
            if not os.path.isfile(arg):
                raise ValueError(f"config file {arg!r} not found")
            ns = {}
            exec(open(arg).read(), {}, ns)
            items = [(k, v) for k, v in ns.items() if not k.startswith('_') and not isinstance(v, type(os))]
            where = arg
        else:
            key, sep, raw = arg[2:].partition('=')
            if not sep:
                raise ValueError(f"{arg}: expected --key=value")
            try:
                value = ast.literal_eval(raw)
            except (ValueError, SyntaxError):
                value = raw  # a bare string: --device=cpu
            items, where = [(key, value)], arg
        for key, value in items:
            if key not in cfg:
                raise ValueError(f"{where}: unknown config key {key!r}")
            check_value(key, value, cfg[key], where)
            cfg[key] = float(value) if isinstance(cfg[key], float) else value
    return cfg

# -----------------------------------------------------------------------------


def get_lr(it, c):
    """Linear warmup, then cosine decay to min_lr at max_iters (optimizer steps)."""
    if it < c.warmup_iters:
        return c.learning_rate * (it + 1) / (c.warmup_iters + 1)
    progress = min(1.0, (it - c.warmup_iters) / max(1, c.max_iters - c.warmup_iters))
    return c.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (c.learning_rate - c.min_lr)


def batch_indices(it, n, batch_size, seed):
    """Graph indices of optimizer step `it`: a seeded permutation per epoch, so
    the data position is the step number alone (exact resume for free)."""
    per_epoch = n // batch_size
    epoch, k = divmod(it, per_epoch)
    if getattr(batch_indices, 'epoch', None) != (seed, n, epoch):
        batch_indices.perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100003 + epoch))
        batch_indices.epoch = (seed, n, epoch)
    return batch_indices.perm[k * batch_size:(k + 1) * batch_size]


def build_model(cfg, block_size):
    vocab = data.vocab_size(cfg['num_nodes'])
    if cfg['model_type'] == 'mamba':
        from mamba import Mamba, MambaConfig
        return Mamba(MambaConfig(vocab_size=vocab, n_layer=cfg['n_layer'], n_embd=cfg['n_embd'], d_state=cfg['d_state'],
                                 d_conv=cfg['d_conv'], expand=cfg['expand'], backend=cfg['backend']))
    from model import GPT, GPTConfig
    return GPT(GPTConfig(block_size=block_size, vocab_size=vocab, n_layer=cfg['n_layer'], n_head=cfg['n_head'],
                         n_embd=cfg['n_embd'], dropout=cfg['dropout'], bias=cfg['bias']))


def pick_device(device):
    if device != 'auto':
        return device
    if torch.cuda.is_available():
        return 'cuda'
    return 'mps' if torch.backends.mps.is_available() else 'cpu'


def pick_dtype(dtype, device):
    if dtype != 'auto':
        return dtype
    if device.startswith('cuda'):
        return 'bfloat16' if torch.cuda.is_bf16_supported() else 'float16'
    return 'float32'


def autocast(device, dtype):
    if dtype == 'float32':
        return nullcontext()
    return torch.autocast(device_type=device.split(':')[0], dtype=getattr(torch, dtype))


@torch.no_grad()
def evaluate(model, seq, cfg, ctx, batch=1000):
    """Path accuracy (greedy decoding, exact match), and accuracy by target
    position (counted from 1, in the order the model writes the target):
    teacher-forced (`forced_acc`) and under generation (`gen_acc`)."""
    P, L = data.prefix_len(cfg['deg'], cfg['path_len']), cfg['path_len']
    dummy = data.special_tokens(cfg['num_nodes'])['dummy'] if cfg['objective'] == 'teacherless' else None
    was_training = model.training
    model.eval()
    forced, gen = [], []
    for chunk in seq.split(batch):
        x, y = data.make_batch(chunk, cfg['deg'], cfg['path_len'], cfg['num_nodes'], cfg['objective'])
        x, y = x.to(next(model.parameters()).device), y.to(next(model.parameters()).device)
        with ctx:
            logits, _ = model(x)
            out = model.generate(x[:, :P], L, dummy_token=dummy)
        forced.append(logits[:, P - 1:].argmax(-1) == y[:, P - 1:])  # (b, L)
        gen.append(out[:, P:] == y[:, P - 1:])  # (b, L)
    model.train(was_training)
    forced, gen = torch.cat(forced).float(), torch.cat(gen)
    return dict(path_acc=gen.all(1).float().mean().item(), forced_acc=forced.mean(0).tolist(),
                gen_acc=gen.float().mean(0).tolist())


def save_checkpoint(path, ckpt):
    """Atomic: the old file stays until the new one is complete."""
    torch.save(ckpt, path + '.tmp')
    os.replace(path + '.tmp', path)


def load_checkpoint(path):
    try:
        return torch.load(path, map_location='cpu', weights_only=True)
    except FileNotFoundError:
        raise ValueError(f"no checkpoint at {path}")
    except Exception as e:
        raise ValueError(f"{path} is not a readable pathstar checkpoint ({type(e).__name__}: {str(e).splitlines()[0][:120]})")


def train(cfg):
    """Run one training job; returns the last evaluation record."""
    t_start = time.time()
    c = type('Config', (), cfg)  # attribute access: c.batch_size
    ddp = int(os.environ.get('RANK', -1)) != -1
    rank, world = (int(os.environ['RANK']), int(os.environ['WORLD_SIZE'])) if ddp else (0, 1)
    dev = pick_device(c.device)
    if ddp:
        if dev.startswith('cuda'):
            dev = f"cuda:{os.environ['LOCAL_RANK']}"
            torch.cuda.set_device(dev)
        torch.distributed.init_process_group(backend='nccl' if dev.startswith('cuda') else 'gloo')
    if c.batch_size % world:
        raise ValueError(f"batch_size={c.batch_size} must be divisible by the {world} processes")
    master = rank == 0
    if c.threads:
        torch.set_num_threads(c.threads)
    dtype = pick_dtype(c.dtype, dev)
    ctx = autocast(dev, dtype)
    torch.manual_seed(c.seed)

    t0 = time.time()
    train_seq, test_seq = data.make_splits(c.deg, c.path_len, c.num_nodes, c.n_train, c.n_test, c.seed)
    data_s = time.time() - t0
    train_x, train_y = (t.to(dev) for t in data.make_batch(train_seq, c.deg, c.path_len, c.num_nodes, c.objective))
    n_eval = c.eval_samples or len(test_seq)
    eval_sets = dict(test=test_seq[:n_eval], train=train_seq[:n_eval])

    model = build_model(cfg, block_size=train_x.size(1)).to(dev)
    optimizer = model.configure_optimizers(c.weight_decay, c.learning_rate, (c.beta1, c.beta2), dev.split(':')[0])
    ckpt_path, log_path = os.path.join(c.out_dir, 'ckpt.pt'), os.path.join(c.out_dir, 'log.jsonl')
    iter_num, elapsed0 = 0, 0.0
    if c.init_from == 'resume':
        ckpt = load_checkpoint(ckpt_path)
        model.load_state_dict(ckpt['model'])
        optimizer.load_state_dict(ckpt['optimizer'])
        torch.set_rng_state(ckpt['rng'])
        iter_num, elapsed0 = ckpt['iter_num'], ckpt['elapsed_s']
        if master and os.path.exists(log_path):  # drop records written after the checkpoint
            with open(log_path) as f:
                keep = [line for line in f if json.loads(line)['iter'] <= iter_num]
            with open(log_path, 'w') as f:
                f.writelines(keep)
    elif master:
        os.makedirs(c.out_dir, exist_ok=True)
        if os.path.exists(log_path):
            os.remove(log_path)
    raw_model = model
    if c.compile:
        model = torch.compile(model)
    if ddp:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[dev] if dev.startswith('cuda') else None)
    scaler = torch.amp.GradScaler(enabled=(dtype == 'float16'))
    if c.wandb_log and master:
        import wandb
        wandb.init(project=c.wandb_project, name=c.wandb_run_name, config=cfg)
    if master:
        print(f"{raw_model.num_params() / 1e6:.2f}M parameters, {len(train_seq)} train / {len(test_seq)} test graphs "
              f"(made in {data_s:.2f}s), device {dev}, dtype {dtype}, {world} process(es)")

    def eval_and_save():
        rec = dict(iter=iter_num, elapsed_s=round(elapsed0 + time.time() - t_start, 2),
                   train_loss=running_loss, lr=get_lr(max(iter_num - 1, 0), c))
        for split, seq in eval_sets.items():
            res = evaluate(raw_model, seq, cfg, ctx)
            rec.update(res if split == 'test' else {f'train_{k}': v for k, v in res.items()})
        print(f"eval iter {iter_num}: path_acc {rec['path_acc']:.4f} (train {rec['train_path_acc']:.4f}), "
              f"forced_acc {' '.join(f'{a:.2f}' for a in rec['forced_acc'])}, gen_acc {' '.join(f'{a:.2f}' for a in rec['gen_acc'])}")
        with open(log_path, 'a') as f:
            f.write(json.dumps(rec) + '\n')
        if c.wandb_log:
            wandb.log(rec, step=iter_num)
        if iter_num > 0:
            save_checkpoint(ckpt_path, dict(model=raw_model.state_dict(), optimizer=optimizer.state_dict(),
                                            config=cfg, iter_num=iter_num, elapsed_s=rec['elapsed_s'],
                                            rng=torch.get_rng_state()))
        return rec

    running_loss, rec = None, None
    if master and iter_num == 0:
        rec = eval_and_save()
    loss_sum, n_sum, t_log = torch.zeros((), device=dev), 0, time.time()
    per_rank = c.batch_size // world
    while iter_num < c.max_iters:
        lr = get_lr(iter_num, c)
        for group in optimizer.param_groups:
            group['lr'] = lr
        idx = batch_indices(iter_num, len(train_seq), c.batch_size, c.seed)[rank * per_rank:(rank + 1) * per_rank]
        with ctx:
            _, loss = model(train_x[idx], train_y[idx])
        scaler.scale(loss).backward()
        if c.grad_clip:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), c.grad_clip)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        loss_sum += loss.detach()
        n_sum += 1
        iter_num += 1
        if iter_num % c.log_interval == 0 or iter_num % c.eval_interval == 0 or iter_num == c.max_iters:
            running_loss = loss_sum.item() / n_sum  # the only host sync, once per interval
            if not math.isfinite(running_loss):
                raise FloatingPointError(f"loss is {running_loss} at iter {iter_num}; the last good checkpoint is kept in {ckpt_path}")
            dt = (time.time() - t_log) / n_sum
            loss_sum.zero_()
            n_sum, t_log = 0, time.time()
            if master:
                eta = dt * (c.max_iters - iter_num) / 60
                print(f"iter {iter_num}: loss {running_loss:.4f}, lr {lr:.2e}, {dt * 1000:.1f} ms/step, eta {eta:.1f} min")
        if master and (iter_num % c.eval_interval == 0 or iter_num == c.max_iters):
            rec = eval_and_save()
    if ddp:
        torch.distributed.destroy_process_group()
    return rec


if __name__ == '__main__':
    try:
        config = load_config(sys.argv[1:])
    except ValueError as e:
        sys.exit(f"error: {e}")
    train(config)
