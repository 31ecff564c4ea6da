"""
Train a GPT (or Mamba) on path-star graphs, nanoGPT-style.

$ python train.py config/star_d2_l5.py
$ python train.py config/star_d2_l5.py --max_iters=2000 --device=cpu
$ python train.py config/star_d2_l5.py --init_from=resume   # after a crash: continues exactly
$ python train.py config/gpt2_d2_l5.py                      # fine-tune pretrained GPT-2 (pretrained.py)

Defaults are the globals below; a config file (Python) overrides them, then
--key=value arguments do. An unknown key or a value of the wrong type is an
error. Several processes (DDP, NCCL on GPUs, gloo on CPUs), same global batch:
$ torchrun --standalone --nproc_per_node=2 train.py config/star_d2_l5.py
"""
import functools
import json
import math
import os
import re
import sys
import time

import torch

import configurator
import data
import objectives
import pretrained
from configurator import one_line
from runtime import autocast, pick_device, pick_dtype, save_atomically

# -----------------------------------------------------------------------------
# default config values
# task
deg = 2                  # arms of the star
path_len = 5             # nodes on a start-to-leaf path, s included
num_nodes = 50           # node labels 0..num_nodes-1
objective = 'forward'    # a row of objectives.OBJECTIVES: forward (teacher forcing), reverse, teacherless, mixed,
                         # teacherless_reverse, mtp, top, bst, mlm_u
ntp_weight = 1.0         # mixed: weight of the next-token loss added to the teacherless loss
n_future = 4             # mtp: heads, the next token and the n_future-1 after it
top_window = 0           # top: tokens ahead that the ranking head scores; 0 = the whole sequence
a1_loss_from = 0         # teacherless(_reverse): the step from which the teacherless a1 target has a loss (0: always)
a1_wait_acc = 0.0        # teacherless(_reverse): ... and until an evaluation finds every path slot after a1 this
                         # accurate on train graphs (0: no wait)
a1_stand_in = 'none'     # teacherless(_reverse): the a1 slot's target while held: 'none' (no loss), 'a2', or
                         # 'frontier' (the next hop back from g not yet learned: a3, then a2, ...; needs a1_wait_acc)
decode = 'left_to_right' # mlm_u: fill the masks 'left_to_right' or most 'confidence' first
n_train = 200000         # training graphs
online = False           # True: fresh graphs for every batch (never a test graph); the n_train ones only for train accuracy
n_test = 20000           # held-out test graphs (disjoint from train)
seed = 1337              # data, init and batch order
# model
model_type = 'gpt'       # 'gpt' or 'mamba'
n_layer = 3
n_head = 3
n_embd = 96
dropout = 0.0
bias = False             # biases in Linear layers and LayerNorms
edge_local = False       # gpt: True makes each edge-list token attend to its own edge only (the query and path
                         # still see every edge), so chains of lookups run at the path positions
d_state = 16             # mamba: SSM state size per channel
d_conv = 4               # mamba: causal conv width
expand = 2               # mamba: inner width = expand * n_embd
backend = 'auto'         # mamba scan: 'auto', 'cuda' (mamba-ssm kernels) or 'torch'
# optimisation
batch_size = 64          # graphs per optimizer step (global, over all processes)
max_iters = 10000        # optimizer steps
learning_rate = 1e-3     # peak, after warmup
min_lr = 1e-4            # end of the decay
cooldown_iters = 0       # 0: cosine decay over the whole run; N: constant learning_rate, then linear decay to
                         # min_lr over the last N optimizer steps (warmup-stable-decay)
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
stop_at_lookup = False   # True: end the run at the first evaluation where the lookup has formed (objectives.lookup_formed)
init_from = 'scratch'    # 'scratch', 'resume' (from out_dir/ckpt.pt), or pretrained weights: 'gpt2'..'gpt2-xl',
                         # 'pythia-410m-deduped', a directory (pretrained.py)
wandb_log = False
wandb_project = 'pathstar'
wandb_run_name = 'run'
# system
device = 'auto'          # 'auto', 'cpu', 'cuda', 'cuda:1', 'mps'
dtype = 'auto'           # 'auto' (bf16 on CUDA; on CPUs, bf16 for wide GPTs with AMX, else fp32: pick_dtype),
                         # 'float32', 'bfloat16', 'float16'
compile = False          # torch.compile the model
compile_mode = 'default' # 'default', 'reduce-overhead' (CUDA graphs: these small models are launch-bound), 'max-autotune'
threads = 0              # CPU threads for torch; 0 = torch's default
# -----------------------------------------------------------------------------
DEFAULTS = {k: v for k, v in globals().items() if not k.startswith('_') and isinstance(v, (bool, int, float, str))}
CHOICES = dict(objective=tuple(objectives.OBJECTIVES), decode=('left_to_right', 'confidence'),
               a1_stand_in=('none', 'a2', 'frontier'), model_type=('gpt', 'mamba'), backend=('auto', 'cuda', 'torch'),
               dtype=('auto', 'float32', 'bfloat16', 'float16'), compile_mode=('default', 'reduce-overhead', 'max-autotune'))
# keys a resumed run may change: where and how it runs, not what it computes
RESUME_MAY_CHANGE = ('init_from', 'out_dir', 'log_interval', 'wandb_log', 'wandb_project', 'wandb_run_name',
                     'device', 'dtype', 'compile', 'compile_mode', 'threads', 'backend')


def load_config(argv, defaults=DEFAULTS, choices=CHOICES):
    """Config files then --key=value overrides of train.py's defaults -> dict (configurator.py)."""
    return configurator.load_config(argv, defaults, choices)


def check_config(cfg, dev, world):
    """Settings that cannot run, as one-line ValueErrors, before anything is written."""
    data.check_graph(cfg['deg'], cfg['path_len'], cfg['num_nodes'])
    pretrained.check_init_from(cfg['init_from'])
    if cfg['model_type'] == 'mamba' and pretrained.is_pretrained(cfg['init_from']):
        raise ValueError(f"init_from={cfg['init_from']!r} loads a pretrained Transformer; use model_type='gpt'")
    for key in ('n_train', 'n_test', 'batch_size', 'max_iters', 'eval_interval', 'log_interval', 'eval_samples', 'n_head',
                'n_future', 'top_window', 'cooldown_iters', 'a1_loss_from'):
        low = 0 if key in ('max_iters', 'eval_samples', 'top_window', 'cooldown_iters', 'a1_loss_from') else 1
        if cfg[key] < low:
            raise ValueError(f"{key}={cfg[key]} must be >= {low}")
    if not 0 <= cfg['a1_wait_acc'] <= 1:
        raise ValueError(f"a1_wait_acc={cfg['a1_wait_acc']} is an accuracy: 0 (no wait) to 1")
    for key in ('a1_loss_from', 'a1_wait_acc'):
        if cfg[key] and objectives.get(cfg).schedule is objectives.every_step:
            raise ValueError(f"{key}={cfg[key]} holds a teacherless a1 target, which objective={cfg['objective']!r} does not "
                             f"have; use objective='teacherless' or 'teacherless_reverse', or {key}=0")
    if cfg['a1_stand_in'] == 'frontier' and not cfg['a1_wait_acc']:
        raise ValueError("a1_stand_in='frontier' follows the hops as evaluations find them learned; set a1_wait_acc > 0")
    if cfg['a1_wait_acc'] and world > 1:
        raise ValueError("a1_wait_acc needs one process (only rank 0 evaluates); run it without torchrun")
    if cfg['a1_stand_in'] != 'none' and cfg['path_len'] < 4:
        raise ValueError(f"a1_stand_in={cfg['a1_stand_in']!r} asks the a1 slot for a node between a1 and g, which a path of "
                         f"path_len={cfg['path_len']} lacks; use path_len >= 4 or a1_stand_in='none'")
    if cfg['model_type'] == 'mamba' and objectives.get(cfg).bidirectional:
        raise ValueError(f"objective={cfg['objective']!r} attends both ways, which a Mamba (a left-to-right recurrence) cannot; "
                         f"use model_type='gpt'")
    if cfg['edge_local'] and (cfg['model_type'] != 'gpt' or objectives.get(cfg).bidirectional
                              or pretrained.is_pretrained(cfg['init_from'])):
        raise ValueError("edge_local=True masks a causal GPT trained from scratch; use model_type='gpt', "
                         "init_from='scratch' and a causal objective, or edge_local=False")
    if cfg['model_type'] == 'gpt' and cfg['n_embd'] % cfg['n_head']:
        raise ValueError(f"n_embd={cfg['n_embd']} must be a multiple of n_head={cfg['n_head']}")
    if cfg['batch_size'] % world or cfg['batch_size'] > cfg['n_train']:
        raise ValueError(f"batch_size={cfg['batch_size']} must split evenly over {world} process(es) "
                         f"and be <= n_train={cfg['n_train']}")
    if dev.startswith('cuda') and not torch.cuda.is_available():
        raise ValueError(f"device={cfg['device']!r} but CUDA is not available here; use device='cpu' or 'auto'")
    if cfg['stop_at_lookup'] and world > 1:
        raise ValueError("stop_at_lookup=True needs one process (only rank 0 evaluates); run it without torchrun")
    if cfg['dtype'] == 'float16' and not dev.startswith('cuda'):
        raise ValueError(f"dtype='float16' needs a CUDA device (loss scaling), not {dev!r}; use 'bfloat16' or 'float32'")

# -----------------------------------------------------------------------------


def get_lr(it, cfg):
    """Linear warmup, then cosine decay to min_lr at max_iters (optimizer steps); or, with
    cooldown_iters, the peak held until the last cooldown_iters steps, then a linear decay."""
    if it < cfg['warmup_iters']:
        return cfg['learning_rate'] * (it + 1) / (cfg['warmup_iters'] + 1)
    if cfg['cooldown_iters']:
        left = (cfg['max_iters'] - it) / cfg['cooldown_iters']  # 1 where the cooldown starts, 0 at the end
        return cfg['min_lr'] + min(1.0, max(0.0, left)) * (cfg['learning_rate'] - cfg['min_lr'])
    progress = min(1.0, (it - cfg['warmup_iters']) / max(1, cfg['max_iters'] - cfg['warmup_iters']))
    return cfg['min_lr'] + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg['learning_rate'] - cfg['min_lr'])


def batch_indices(it, n, batch_size, seed, device='cpu'):
    """Graph indices of optimizer step `it`: a seeded permutation per epoch, so
    the data position is the step number alone (exact resume for free)."""
    epoch, k = divmod(it, n // batch_size)
    return epoch_order(seed, n, epoch, device)[k * batch_size:(k + 1) * batch_size]


@functools.lru_cache(maxsize=1)  # one epoch's order, made once per epoch
def epoch_order(seed, n, epoch, device):
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100003 + epoch))
    return perm.to(device)  # indexing device tensors with host indices would sync every step


def train_step(loss_fn, optimizer, scaler, batch, ctx, grad_clip):
    """One optimizer step; loss_fn(batch) is the objective's loss (objectives.Loss).
    Returns the loss as a device tensor (reading it would sync the host).
    Used by train() and bench.py."""
    with ctx:
        loss = loss_fn(batch)
    scaler.scale(loss).backward()  # under DDP, also averages the gradients over the processes
    if grad_clip:
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(loss_fn.parameters(), grad_clip)
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
    return loss.detach()


def step_generator(seed, it, rank=0):
    """The random draws of step `it` (mlm_u's masks): a function of the step, so resume is exact."""
    return torch.Generator().manual_seed((seed * 1000003 + it) * 1024 + rank)


def build_model(cfg):
    """The model of cfg['model_type'] (or cfg['init_from']'s pretrained one), with the heads its
    objective adds (objectives.py)."""
    model = bare_model(cfg)
    objectives.get(cfg).heads(model, cfg, bare_model)
    return model


def bare_model(cfg, block_size=None, causal=None):
    """The model alone: no objective heads. block_size and causal default to what cfg's objective needs;
    edge_local masks only this default model (a head built with its own block_size reads another sequence)."""
    obj = objectives.get(cfg)
    causal = not obj.bidirectional if causal is None else causal
    vocab = data.vocab_size(cfg['num_nodes'])
    if pretrained.is_pretrained(cfg['init_from']):  # its shape comes with its weights
        return pretrained.load(cfg, causal=causal, needs_hooks=obj.needs_hooks)
    if cfg['model_type'] == 'mamba':
        from mamba import Mamba, MambaConfig
        return Mamba(MambaConfig(vocab_size=vocab, n_layer=cfg['n_layer'], n_embd=cfg['n_embd'], d_state=cfg['d_state'],
                                 d_conv=cfg['d_conv'], expand=cfg['expand'], backend=cfg['backend']))
    from model import GPT, GPTConfig
    edge_list = data.edge_list_len(cfg['deg'], cfg['path_len']) if cfg['edge_local'] and block_size is None else 0
    return GPT(GPTConfig(block_size=block_size or objectives.block_size(cfg), vocab_size=vocab, n_layer=cfg['n_layer'],
                         n_head=cfg['n_head'], n_embd=cfg['n_embd'], dropout=cfg['dropout'], bias=cfg['bias'], causal=causal,
                         edge_list=edge_list))


def model_source(cfg):
    """What a run's weights started from: 'scratch' or a pretrained model ('resume' in checkpoints
    older than pretrained models)."""
    return 'scratch' if cfg.get('init_from', 'resume') == 'resume' else cfg['init_from']


def save_log(path, records):
    save_atomically(path, lambda f: f.write(''.join(json.dumps(rec) + '\n' for rec in records).encode()))


def load_checkpoint(path, cfg=None):
    """A checkpoint written by train.py (weights_only: loading runs no code).
    With cfg (a resume), it must be the same experiment: only the keys in
    RESUME_MAY_CHANGE may differ. Every problem is a one-line ValueError."""
    if not os.path.isfile(path):
        raise ValueError(f"no checkpoint at {path}" + (" (init_from='resume' needs one)" if cfg else ''))
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as e:
        code = re.search(r'Unsupported global: GLOBAL (\S+)', str(e))  # torch's own message is many lines
        why = f"it refers to code, {code[1]}, which weights_only loading refuses" if code else one_line(e)
        raise ValueError(f"{path} is not a readable checkpoint ({why})")
    need = ('model', 'config', 'iter_num') + (('optimizer', 'scaler', 'elapsed_s', 'rng', 'log') if cfg else ())
    missing = [k for k in need if not isinstance(ckpt, dict) or k not in ckpt]
    if missing:
        raise ValueError(f"{path} is not a pathstar checkpoint: no {', '.join(missing)}")
    # a compiled model's state_dict prefixes every key with '_orig_mod.' (nanoGPT's fix)
    ckpt['model'] = {k.removeprefix('_orig_mod.'): v for k, v in ckpt['model'].items()}
    ckpt['config'] = dict(DEFAULTS, **ckpt['config'])  # a key newer than the checkpoint had its default then
    differ = [k for k in cfg or {} if k not in RESUME_MAY_CHANGE and ckpt['config'].get(k) != cfg[k]]
    if differ:
        raise ValueError(f"{path} was trained with " + ', '.join(f"{k}={ckpt['config'].get(k)!r}" for k in differ) +
                         ', not ' + ', '.join(f"{k}={cfg[k]!r}" for k in differ) + ": resume with the run's own config")
    return ckpt


def train(cfg):
    """Run one training job (or one DDP process of it); returns the last evaluation record."""
    t_start = time.time()
    ddp = 'RANK' in os.environ  # set by torchrun
    rank, world = (int(os.environ['RANK']), int(os.environ['WORLD_SIZE'])) if ddp else (0, 1)
    dev = pick_device(cfg['device'])
    if ddp and dev.startswith('cuda'):
        dev = f"cuda:{os.environ['LOCAL_RANK']}"  # one GPU per process
    check_config(cfg, dev, world)
    ckpt_path, log_path = os.path.join(cfg['out_dir'], 'ckpt.pt'), os.path.join(cfg['out_dir'], 'log.jsonl')
    ckpt = load_checkpoint(ckpt_path, cfg) if cfg['init_from'] == 'resume' else None  # fails before anything is written
    if ckpt:  # the model is built as the run's first start built it (a pretrained model's shape), then loaded
        cfg = dict(cfg, init_from=model_source(ckpt['config']))
    if ddp:
        if dev.startswith('cuda'):
            torch.cuda.set_device(dev)
        torch.distributed.init_process_group(backend='nccl' if dev.startswith('cuda') else 'gloo')
    master = rank == 0  # the only process that evaluates, prints and writes files
    if cfg['threads']:
        torch.set_num_threads(cfg['threads'])
    torch.manual_seed(cfg['seed'])  # the same on every process: DDP starts from identical weights

    t0 = time.time()
    train_seq, test_seq = data.make_splits(cfg['deg'], cfg['path_len'], cfg['num_nodes'],
                                           cfg['n_train'], cfg['n_test'], cfg['seed'])
    data_s = time.time() - t0
    train_on_dev = train_seq.to(dev)  # each step's batch is an index into it, made into the objective's inputs there
    obj = objectives.get(cfg)
    n_eval = cfg['eval_samples'] or len(test_seq)
    eval_sets = dict(test=test_seq[:n_eval], train=train_seq[:n_eval])
    test_keys = set(data.graph_keys(test_seq.numpy(), cfg['deg'], cfg['path_len'])) if cfg['online'] else None  # never trained on

    model = build_model(cfg).to(dev)
    dtype = pick_dtype(cfg['dtype'], dev, cfg['model_type'], model.config.n_embd)  # a pretrained model's width is its own
    ctx = autocast(dev, dtype)
    optimizer = model.configure_optimizers(cfg['weight_decay'], cfg['learning_rate'], (cfg['beta1'], cfg['beta2']),
                                           dev.split(':')[0])
    scaler = torch.amp.GradScaler(enabled=(dtype == 'float16'))
    iter_num, elapsed0, records = 0, 0.0, []  # records: every evaluation so far, as in log.jsonl
    if ckpt:  # everything the rest of the run depends on; the data position is iter_num
        model.load_state_dict(ckpt['model'])
        optimizer.load_state_dict(ckpt['optimizer'])
        if ckpt['scaler']:  # empty when saved without float16
            scaler.load_state_dict(ckpt['scaler'])
        torch.set_rng_state(ckpt['rng']['cpu'])
        if dev.startswith('cuda') and ckpt['rng']['cuda'] is not None:
            torch.cuda.set_rng_state(ckpt['rng']['cuda'])
        iter_num, elapsed0, records = ckpt['iter_num'], ckpt['elapsed_s'], ckpt['log']
        ckpt = None  # free the memory
    if master:
        os.makedirs(cfg['out_dir'], exist_ok=True)
        save_log(log_path, records)  # on resume, drops the evaluations made after the checkpoint
    loss_fn = objectives.Loss(model, cfg)  # loss_fn(batch) is the loss, extra heads included: what compile and DDP wrap
    if cfg['compile']:
        loss_fn = torch.compile(loss_fn, mode=cfg['compile_mode'])
    if ddp:
        loss_fn = torch.nn.parallel.DistributedDataParallel(loss_fn, device_ids=[dev] if dev.startswith('cuda') else None)
    if cfg['wandb_log'] and master:
        import wandb
        wandb.init(project=cfg['wandb_project'], name=cfg['wandb_run_name'], config=cfg)
    if master:
        print(f"{model.num_params() / 1e6:.2f}M parameters, {len(train_seq)} train / {len(test_seq)} test graphs "
              f"(made in {data_s:.2f}s), device {dev}, dtype {dtype}{' (auto)' if cfg['dtype'] == 'auto' else ''}, "
              f"{world} process(es)"
              + (f", resumed at iter {iter_num}" if iter_num else ''))

    def diverged(what):  # stop without saving: the checkpoint on disk predates the problem
        kept = f"the last good checkpoint is kept in {ckpt_path}" if os.path.exists(ckpt_path) else "no checkpoint was written"
        return FloatingPointError(f"{what} at iter {iter_num}; {kept}")

    def eval_and_save():
        if not all(p.isfinite().all() for p in model.parameters()):  # the last update can break them after a finite loss
            raise diverged("non-finite weights")
        rec = dict(iter=iter_num, elapsed_s=round(elapsed0 + time.time() - t_start, 2),
                   train_loss=running_loss, lr=get_lr(max(iter_num - 1, 0), cfg))
        for split, seq in eval_sets.items():
            res = objectives.evaluate(model, seq, cfg, ctx)
            rec.update(res if split == 'test' else {f'train_{k}': v for k, v in res.items()})
        # forced_acc, gen_acc, and what the objective's probe measured
        by_position = [k for k, v in rec.items() if isinstance(v, list) and not k.startswith('train_')]
        print(f"eval iter {iter_num}: path_acc {rec['path_acc']:.4f} (train {rec['train_path_acc']:.4f}), "
              f"arm_acc {rec['arm_acc']:.2f}, " + ', '.join(f"{k} {' '.join(f'{a:.2f}' for a in rec[k])}" for k in by_position))
        records.append(rec)
        save_log(log_path, records)
        if cfg['wandb_log']:
            wandb.log(rec, step=iter_num)
        if iter_num > 0:
            # dtype: what these evaluations ran in; sample.py scores in it too, so its numbers equal these on any CPU
            state = dict(model=model.state_dict(), optimizer=optimizer.state_dict(), scaler=scaler.state_dict(),
                         config=cfg, iter_num=iter_num, elapsed_s=rec['elapsed_s'], log=records, dtype=dtype,
                         rng=dict(cpu=torch.get_rng_state(), cuda=torch.cuda.get_rng_state() if dev.startswith('cuda') else None))
            save_atomically(ckpt_path, lambda f: torch.save(state, f))

    running_loss = None
    if master and iter_num == 0:
        eval_and_save()
    # the loss window restarts at every evaluation, so a resumed run starts with an empty one too
    loss_sum, n_sum, t_log = torch.zeros((), device=dev), 0, time.time()
    per_rank = cfg['batch_size'] // world
    while iter_num < cfg['max_iters']:
        lr = get_lr(iter_num, cfg)
        for group in optimizer.param_groups:
            group['lr'] = lr
        if cfg['online']:  # drawn from the step's own seed, as the fixed split's batch order is: resume stays exact
            seq = data.online_batch(cfg['seed'], iter_num, rank, per_rank, cfg['deg'], cfg['path_len'], cfg['num_nodes'],
                                    test_keys).to(dev)
        else:
            idx = batch_indices(iter_num, len(train_seq), cfg['batch_size'], cfg['seed'], dev)  # (batch_size,) global
            seq = train_on_dev[idx[rank * per_rank:(rank + 1) * per_rank]]  # this process's share
        batch = obj.schedule(obj.batch(seq, cfg, step_generator(cfg['seed'], iter_num, rank)), cfg, iter_num, records)
        loss_sum += train_step(loss_fn, optimizer, scaler, batch, ctx, cfg['grad_clip'])
        n_sum += 1
        iter_num += 1
        evaluating = iter_num % cfg['eval_interval'] == 0 or iter_num == cfg['max_iters']
        if iter_num % cfg['log_interval'] == 0 or evaluating:
            if ddp:  # the mean over all processes: the loss of the global batch (gloo has no AVG)
                torch.distributed.all_reduce(loss_sum)
            running_loss = loss_sum.item() / (n_sum * world)  # the only host sync, once per interval
            if not math.isfinite(running_loss):
                raise diverged(f"loss is {running_loss}")
            dt = (time.time() - t_log) / n_sum
            loss_sum.zero_()
            n_sum, t_log = 0, time.time()
            if master:
                eta = dt * (cfg['max_iters'] - iter_num) / 60
                print(f"iter {iter_num}: loss {running_loss:.4f}, lr {lr:.2e}, {dt * 1000:.1f} ms/step, eta {eta:.1f} min")
        if master and evaluating:
            eval_and_save()
            if cfg['stop_at_lookup'] and objectives.lookup_formed(records[-1], cfg):
                print(f"lookup formed at iter {iter_num} ({iter_num * cfg['batch_size']:,} graphs seen): "
                      "stopping (stop_at_lookup)")
                break
    if ddp:  # wait for rank 0's last evaluation: tearing down gloo while a peer is busy can abort the process
        # gloo's monitored_barrier runs on this thread; its barrier() leaves the work to a gloo thread, which can
        # still be freeing it (a tensor, so it needs the GIL) when the interpreter exits, and then aborts the process
        gloo = torch.distributed.get_backend() == 'gloo'
        (torch.distributed.monitored_barrier if gloo else torch.distributed.barrier)()
        torch.distributed.destroy_process_group()
    return records[-1] if master else None


if __name__ == '__main__':
    try:
        train(load_config(sys.argv[1:]))
    except (ValueError, FloatingPointError) as e:
        sys.exit(f"error: {e}")
