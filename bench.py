"""
Benchmark a config on this machine: data generation, training steps, and
evaluation, against this machine's own measured matmul peak.

$ python bench.py config/star_d2_l5.py
$ python bench.py config/paper_d2_l5.py --dtype=bfloat16 --compile=True
$ python bench.py config/gpt2_d2_l5.py   # GPT-2 small (random weights of its shape if its own are not here)

Prints a readable report, then one JSON object on the last line (keys:
tokens_per_s, ms_per_step, mfu, peak_gflops, data_gen_s, eval_ms_per_graph,
...). MFU = model FLOPs per second / measured peak matmul FLOP/s of the dtype
that runs. Time comparisons (dtype, cache or not, GPT vs Mamba) are made inside
one run, because a second busy process on this 2-core machine halves the rate.
"""
import json
import sys
import time
from unittest import mock

import torch
from torch.nn import functional as F

import data
import mamba
import objectives
import pretrained
from runtime import autocast, pick_device, pick_dtype
from train import DEFAULTS, bare_model, batch_indices, build_model, check_config, load_config, step_generator, train_step

BENCH = dict(
    bench_steps=20,      # timed training steps
    warmup_steps=5,      # untimed steps first (compile, allocator, caches)
    eval_graphs=256,     # test graphs for the evaluation timings
    peak_size=2048,      # side of the square matmul that measures the peak
    compare_mamba=True,  # also time a Mamba step of the same width and depth
    compare_dtypes=True, # also time the step in the other of float32 / bfloat16: the basis of dtype='auto'
)


def sync(device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def measure_peak(dtype, device, n):
    """Best FLOP/s of an n x n matmul in `dtype` on this machine."""
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    best = float('inf')
    for _ in range(5):
        sync(device)
        t0 = time.perf_counter()
        a @ b
        sync(device)
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best


def flops_per_token(model, cfg, T):
    """Training FLOPs per token: 6 per parameter that multiplies (forward + backward) plus
    attention scores and values (PaLM appendix B, as in nanoGPT)."""
    N, c = model.num_params(), model.config
    if pretrained.is_pretrained(cfg['init_from']):  # embeddings are lookups; the unembedding multiplies the task's rows only
        tables = [m.weight for m in model.base.modules() if isinstance(m, torch.nn.Embedding)]
        N -= sum(w.numel() for w in tables) + (0 if any(model.base.lm_head.weight is w for w in tables) else model.base.lm_head.weight.numel())
        N += c.vocab_size * c.n_embd
    elif cfg['model_type'] == 'gpt':
        N -= model.transformer.wpe.weight.numel()
    else:
        return 6 * N  # Mamba: the scan is O(T d_inner d_state), small beside the projections
    return 6 * N + 12 * c.n_layer * c.n_embd * T


def bench_model(cfg):
    """build_model(cfg); for a pretrained model whose weights are not on this machine, random
    weights of its published shape (pretrained.SHAPES): the same step time."""
    try:
        return build_model(cfg)
    except pretrained.NotFound:
        if cfg['init_from'].removesuffix('-deduped') not in pretrained.SHAPES:
            raise
        model = pretrained.load(cfg, shape_only=True)
        objectives.get(cfg).heads(model, cfg, bare_model)
        return model


def time_steps(cfg, seq, dev, dtype, warmup, steps):
    """Seconds per optimizer step (the objective's batch made on the device, as train.py does), seconds
    the warm-up steps took (torch.compile compiles there), and the model."""
    torch.manual_seed(cfg['seed'])
    model = bench_model(cfg).to(dev)
    optimizer = model.configure_optimizers(cfg['weight_decay'], cfg['learning_rate'], (cfg['beta1'], cfg['beta2']), dev.split(':')[0])
    scaler = torch.amp.GradScaler(enabled=(dtype == 'float16'))
    ctx = autocast(dev, dtype)
    loss_fn = objectives.Loss(model, cfg)
    loss_fn = torch.compile(loss_fn, mode=cfg['compile_mode']) if cfg['compile'] else loss_fn
    make_batch = objectives.get(cfg).batch
    t_start = time.perf_counter()
    for it in range(warmup + steps):
        if it == warmup:
            sync(dev)
            t0 = time.perf_counter()
        idx = batch_indices(it, len(seq), cfg['batch_size'], cfg['seed'], dev)
        loss = train_step(loss_fn, optimizer, scaler, make_batch(seq[idx], cfg, step_generator(cfg['seed'], it)), ctx, cfg['grad_clip'])
    loss.item()
    sync(dev)
    return (time.perf_counter() - t0) / steps, t0 - t_start, model


def time_eval(model, seq, cfg, dev, ctx):
    """Milliseconds per graph: the teacher-forced pass, the objective's greedy
    decoding (with the KV cache or recurrent state where it decodes token by
    token), and, for next-token decoders, greedy decoding that re-runs the
    whole sequence for every token."""
    P, L = objectives.shape(cfg)
    seq = seq.to(dev)
    obj = objectives.get(cfg)
    model.eval()
    out = {}
    runs = dict(forced=lambda: obj.forced(model, seq, cfg), cached=lambda: obj.decode(model, seq, cfg))
    if obj.decode is objectives.ntp_decode:
        runs['full'] = lambda: model.generate(seq[:, :P], L, use_cache=False)
    with torch.no_grad(), ctx:
        for name, fn in runs.items():
            fn()  # warm-up
            times = []
            for _ in range(3):  # the fastest of three: one preempted call would otherwise set the figure
                sync(dev)
                t0 = time.perf_counter()
                fn()
                sync(dev)
                times.append(time.perf_counter() - t0)
            out[name] = min(times) * 1000 / len(seq)
    return out


def main(argv):
    cfg = load_config(argv, dict(DEFAULTS, **BENCH))
    dev = pick_device(cfg['device'])
    check_config(cfg, dev, world=1)
    if cfg['threads']:
        torch.set_num_threads(cfg['threads'])
    if pretrained.is_pretrained(cfg['init_from']):  # its width comes with its weights (for dtype='auto')
        cfg['n_embd'] = pretrained.width(cfg['init_from'])
        try:
            pretrained.locate(cfg['init_from'])
        except pretrained.NotFound as e:
            print(f"{e}\n-> timing random weights of {cfg['init_from']}'s shape")
    dtype = pick_dtype(cfg['dtype'], dev, cfg['model_type'], cfg['n_embd'])
    ctx = autocast(dev, dtype)
    print(f"device {dev}, dtype {dtype}, {torch.get_num_threads()} threads, torch {torch.__version__}")

    # bf16 only where it runs or is compared: without bf16 units its peak alone takes minutes (0.3 GFLOP/s on an AVX2 EPYC)
    timed = ('float32', 'bfloat16') if cfg['compare_dtypes'] or dtype == 'bfloat16' else ('float32',)
    peak = {name: measure_peak(getattr(torch, name), dev, cfg['peak_size']) for name in timed}
    print(f"measured matmul peak ({cfg['peak_size']}^2): " + ', '.join(f"{k} {v / 1e9:.0f} GFLOP/s" for k, v in peak.items()))

    t0 = time.perf_counter()
    train_seq, test_seq = data.make_splits(cfg['deg'], cfg['path_len'], cfg['num_nodes'], cfg['n_train'], cfg['n_test'], cfg['seed'])
    train_seq = train_seq.to(dev)
    data_s = time.perf_counter() - t0
    print(f"data: {len(train_seq)} train + {len(test_seq)} test graphs generated and tokenized in {data_s:.3f} s")

    step_s, warmup_s, model = time_steps(cfg, train_seq, dev, dtype, cfg['warmup_steps'], cfg['bench_steps'])
    T = objectives.block_size(cfg)  # tokens a graph feeds the model (mixed feeds two copies, bst a second encoder too)
    if pretrained.is_pretrained(cfg['init_from']):  # and the commas of the text format
        T += sum(model.layout(train_seq[0, :T].tolist()))
    tokens = cfg['batch_size'] * T
    flops = flops_per_token(model, cfg, T) * tokens
    mfu = flops / step_s / peak.get(dtype, peak['float32'])
    print(f"train: {cfg['model_type']} {model.num_params() / 1e6:.2f}M params, batch {cfg['batch_size']} x {T} tokens: "
          f"{step_s * 1000:.1f} ms/step, {tokens / step_s:,.0f} tokens/s, {flops / step_s / 1e9:.0f} GFLOP/s, MFU {mfu:.1%} "
          f"(after {cfg['warmup_steps']} warm-up steps in {warmup_s:.1f} s{', compiling' if cfg['compile'] else ''})")
    result = dict(config=[a for a in argv if not a.startswith('--')], model_type=cfg['model_type'], dtype=dtype,
                  device=dev, threads=torch.get_num_threads(), params=model.num_params(), batch_size=cfg['batch_size'],
                  tokens_per_step=tokens, ms_per_step=step_s * 1000, tokens_per_s=tokens / step_s,
                  model_gflops_per_s=flops / step_s / 1e9, mfu=mfu, peak_gflops=peak.get(dtype, peak['float32']) / 1e9,
                  peak_gflops_float32=peak['float32'] / 1e9, peak_gflops_bfloat16=peak['bfloat16'] / 1e9 if 'bfloat16' in peak else None, data_gen_s=data_s,
                  compile=cfg['compile'], warmup_s=warmup_s)

    other = dict(float32='bfloat16', bfloat16='float32').get(dtype)
    if cfg['compare_dtypes'] and other and (dev == 'cpu' or (dev.startswith('cuda') and torch.cuda.is_bf16_supported())):
        other_s, _, _ = time_steps(cfg, train_seq, dev, other, cfg['warmup_steps'], cfg['bench_steps'])
        ms = {dtype: step_s * 1000, other: other_s * 1000}
        print(f"dtypes, same step: float32 {ms['float32']:.1f} ms/step, bfloat16 {ms['bfloat16']:.1f} ms/step: "
              f"bfloat16 is {ms['float32'] / ms['bfloat16']:.2f}x the float32 speed (dtype='auto' picks {pick_dtype('auto', dev, cfg['model_type'], cfg['n_embd'])} here)")
        result.update(ms_per_step_float32=ms['float32'], ms_per_step_bfloat16=ms['bfloat16'], bf16_speedup=ms['float32'] / ms['bfloat16'])

    ev = time_eval(model, test_seq[:cfg['eval_graphs']], cfg, dev, ctx)
    print(f"eval ({cfg['eval_graphs']} graphs): teacher-forced {ev['forced']:.3f} ms/graph, greedy decoding "
          f"{ev['cached']:.3f} ms/graph" + (f", greedy re-running the sequence {ev['full']:.3f} ms/graph "
                                            f"({ev['full'] / ev['cached']:.1f}x slower)" if 'full' in ev else ''))
    result.update(eval_ms_per_graph=ev['cached'], eval_forced_ms_per_graph=ev['forced'])
    if 'full' in ev:
        result.update(eval_nocache_ms_per_graph=ev['full'], cache_speedup=ev['full'] / ev['cached'])

    if (cfg['compare_mamba'] and cfg['model_type'] == 'gpt' and not objectives.get(cfg).bidirectional
            and not pretrained.is_pretrained(cfg['init_from'])):
        mamba_cfg = dict(cfg, model_type='mamba')
        mamba_s, _, _ = time_steps(mamba_cfg, train_seq, dev, dtype, cfg['warmup_steps'], cfg['bench_steps'])
        # the same step with the selective scan swapped for y = (dt + D) u silu(z): what the scan itself costs
        no_scan = lambda u, dt, A, B, C, D, z: ((u * dt + u * D) * F.silu(z), u.new_zeros(u.size(0), *A.shape))
        with mock.patch.object(mamba, 'selective_scan', no_scan):
            no_scan_s, _, _ = time_steps(mamba_cfg, train_seq, dev, dtype, cfg['warmup_steps'], cfg['bench_steps'])
        print(f"mamba, same width and depth: {mamba_s * 1000:.1f} ms/step, {mamba_s / step_s:.2f}x the GPT step; "
              f"without its scan {no_scan_s * 1000:.1f} ms/step (the scan is {1 - no_scan_s / mamba_s:.0%} of the step)")
        result.update(mamba_ms_per_step=mamba_s * 1000, mamba_over_gpt=mamba_s / step_s,
                      mamba_no_scan_ms_per_step=no_scan_s * 1000, scan_share=1 - no_scan_s / mamba_s)
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except ValueError as e:
        sys.exit(f"error: {e}")
