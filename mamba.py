"""
A Mamba language model (Mamba-1, Gu & Dao 2023), handwritten, for the path-star task.

The same interface as the GPT in model.py (forward(idx, targets, cache),
hidden, final_norm, new_block, heads, generate, configure_optimizers,
num_params), so train.py, sample.py and every causal objective run it unchanged: set model_type = 'mamba' (with d_state,
d_conv, expand) in a config. Parameter names are those of mamba-ssm's
MambaLMHeadModel (rms_norm=True), so state dicts load both ways.

A layer: RMSNorm -> in_proj to (x, z) -> causal depthwise conv + SiLU on x ->
selective scan with input-dependent dt, B, C -> gate by SiLU(z) -> out_proj,
added to the residual stream. On a GPU the scan (and conv) run on mamba-ssm's
(and causal-conv1d's) fused CUDA kernels when they import (pip install -r
requirements-gpu.txt); everywhere else on SelectiveScan below, an exact
pure-PyTorch scan. Generation keeps a recurrent state per layer (the last
d_conv conv inputs and the SSM state) and takes one step per new token.
"""
import functools
import importlib
import math
import warnings
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.nn import functional as F

from model import configure_adamw, greedy_generate, lm_loss

BACKENDS = ('auto', 'cuda', 'torch')


@dataclass
class MambaConfig:
    vocab_size: int = 54    # num_nodes + 4 for the path-star task
    n_layer: int = 3        # residual blocks: RMSNorm, then a Mamba mixer
    n_embd: int = 96        # d_model, the residual stream width
    d_state: int = 16       # SSM state size per channel (N)
    d_conv: int = 4         # causal depthwise conv width
    expand: int = 2         # d_inner = expand * n_embd
    dt_min: float = 0.001   # dt is initialised log-uniform in [dt_min, dt_max]
    dt_max: float = 0.1
    backend: str = 'auto'   # 'auto': CUDA kernels on a GPU if they import; 'cuda': require them; 'torch': never


@functools.cache
def import_kernels():
    """mamba-ssm's and causal-conv1d's CUDA kernels as a dict, or None when mamba-ssm
    does not import. Called lazily, never on a CPU with backend 'auto' or 'torch';
    any exception counts as absent (a CPU-only build of mamba-ssm imports, then
    fails with "No module named 'selective_scan_cuda'")."""
    def load(module, name):
        try:
            return getattr(importlib.import_module(module), name)
        except Exception:
            return None
    kernels = dict(selective_scan_fn=load('mamba_ssm.ops.selective_scan_interface', 'selective_scan_fn'),
                   selective_state_update=load('mamba_ssm.ops.triton.selective_state_update', 'selective_state_update'),
                   causal_conv1d_fn=load('causal_conv1d', 'causal_conv1d_fn'),
                   causal_conv1d_update=load('causal_conv1d', 'causal_conv1d_update'))
    return kernels if kernels['selective_scan_fn'] else None


def pick_kernels(backend, device_type):
    """The CUDA kernels to run with (a dict), or None for the pure-PyTorch path."""
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is not one of {', '.join(map(repr, BACKENDS))}")
    if backend == 'torch' or (backend == 'auto' and device_type != 'cuda'):
        return None
    kernels = import_kernels()
    if backend == 'cuda' and kernels is None:
        raise ValueError("backend='cuda' needs mamba-ssm's CUDA kernels, which do not import here "
                         "(pip install -r requirements-gpu.txt); use backend='auto' or 'torch'")
    if backend == 'cuda' and device_type != 'cuda':
        raise ValueError(f"backend='cuda' needs the model on a CUDA device, not {device_type!r}; use backend='auto' or 'torch'")
    if kernels is None:  # the default warning filter shows it once
        warnings.warn("mamba-ssm's CUDA kernels do not import: Mamba runs its pure-PyTorch scan on the GPU, "
                      "exact but slow (pip install -r requirements-gpu.txt)")
    return kernels



_spare = []  # state buffers of finished backward passes: reusing one saves a page fault per 4 KiB (~10% of a step)


def _take_buffer(shape, like):
    for i, buf in enumerate(_spare):
        if buf.shape == shape and buf.dtype == like.dtype and buf.device == like.device:
            return _spare.pop(i)
    return like.new_empty(shape)


class SelectiveScan(torch.autograd.Function):
    """h_t = exp(dt_t A) h_{t-1} + dt_t u_t B_t and y_t = C_t . h_t, with h_0 = 0.

    Exact: a plain sequential recurrence in the input's precision (no log-space
    cumsum, whose exp(+big) * exp(-big) loses precision at large dt). Fast on a
    CPU: forward and backward are each one loop over time of a few in-place ops
    on (b, n, d) slices, with no autograd graph inside (autograd through the loop
    records and frees a dozen nodes per step, ~2x slower). d is innermost so the
    sums over n are vectorised. Only the states are kept for the backward; it
    recomputes the decays exp(dt_t A) in cache rather than read them back from memory."""

    @staticmethod
    def forward(ctx, u, dt, A, B, C, keep):  # (b, l, d), (b, l, d), (n, d), (b, l, n), (b, l, n); keep: for backward
        (b, l, d), n = u.shape, A.size(0)
        dtu = dt * u  # (b, l, d)
        hs = _take_buffer((l + 1, b, n, d), u) if keep else u.new_empty(2, b, n, d)  # h_0 .. h_l, or the last two
        y = u.new_empty(l, b, d)  # time-major, so each bmm writes a contiguous slice
        hs[0].zero_()
        for t in range(l):
            h_prev, h = (hs[t], hs[t + 1]) if keep else (hs[t % 2], hs[(t + 1) % 2])  # (b, n, d)
            torch.mul(dt[:, t, None, :], A, out=h).exp_().mul_(h_prev).addcmul_(B[:, t, :, None], dtu[:, t, None, :])
            torch.bmm(C[:, t, None, :], h, out=y[t, :, None, :])
        ctx.save_for_backward(u, dt, A, B, C, dtu)
        ctx.hs = hs
        h = h.clone()
        ctx.mark_non_differentiable(h)
        return y.transpose(0, 1).contiguous(), h

    @staticmethod
    def backward(ctx, gy, _):  # gy (b, l, d): the loss gradient w.r.t. y
        u, dt, A, B, C, dtu = ctx.saved_tensors
        hs, ctx.hs = ctx.hs, None  # consumed: the states are overwritten below, then the buffer is recycled
        if hs is None:
            raise RuntimeError("SelectiveScan's backward runs once (no retain_graph)")
        l, b, n, d = hs.size(0) - 1, *hs.shape[1:]
        gh = torch.zeros_like(hs[0])  # (b, n, d) gradient w.r.t. h_t, carried backwards in time
        gdtu, gdt, gB, gC = u.new_empty(l, b, d), u.new_empty(l, b, d), B.new_empty(l, b, n), C.new_empty(l, b, n)
        gA, a = torch.zeros_like(gh), torch.empty_like(gh)  # gA (b, n, d) is summed over b at the end
        torch.bmm(hs[l], gy[:, l - 1, :, None], out=gC[l - 1, :, :, None])
        for t in reversed(range(l)):
            gh.addcmul_(C[:, t, :, None], gy[:, t, None, :])
            torch.bmm(B[:, t, None, :], gh, out=gdtu[t, :, None, :])
            torch.bmm(gh, dtu[:, t, :, None], out=gB[t, :, :, None])
            gh.mul_(torch.mul(dt[:, t, None, :], A, out=a).exp_())  # now w.r.t. h_{t-1}
            if t > 0:  # read h_{t-1} once, while it is in cache: for gC_{t-1}, then in place for g_exponent
                torch.bmm(hs[t], gy[:, t - 1, :, None], out=gC[t - 1, :, :, None])
            g_exponent = hs[t].mul_(gh)  # w.r.t. dt_t A, elementwise
            gA.addcmul_(g_exponent, dt[:, t, None, :])
            torch.sum(g_exponent.mul_(A), 1, out=gdt[t])
        _spare[:] = _spare[-7:] + [hs]  # at most 8 kept
        gdtu, gdt = gdtu.transpose(0, 1), gdt.transpose(0, 1)
        return gdtu * dt, gdt.addcmul_(gdtu, u), gA.sum(0), gB.transpose(0, 1), gC.transpose(0, 1), None


class CausalConv(torch.autograd.Function):
    """Causal depthwise conv over time, x (b, l, d) -> (b, l, d): y_t = bias + sum_i w_i x_{t-k+1+i},
    as k shifted multiply-adds with a hand-written backward: 2x faster on a CPU than
    nn.Conv1d (which wants (b, d, l)) or than autograd through the shifts."""

    @staticmethod
    def forward(ctx, x, w, bias):  # (b, l, d), (k, d), (d,)
        k, l = w.size(0), x.size(1)
        y = torch.addcmul(bias, x, w[k - 1])  # (b, l, d)
        for s in range(1, min(k, l)):  # tap k-1-s sees s steps back; before the start is zero
            y[:, s:].addcmul_(x[:, :l - s], w[k - 1 - s])
        ctx.save_for_backward(x, w)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, w = ctx.saved_tensors
        k, l = w.size(0), x.size(1)
        gx, gw = gy * w[k - 1], torch.zeros_like(w)
        for s in range(min(k, l)):
            gw[k - 1 - s] = (gy[:, s:] * x[:, :l - s]).sum((0, 1))
            if s > 0:
                gx[:, :l - s].addcmul_(gy[:, s:], w[k - 1 - s])
        return gx, gw, gy.sum((0, 1))


def selective_scan(u, dt, A, B, C, D, z):
    """Pure-PyTorch twin of mamba-ssm's selective_scan_fn(u, dt, A, B, C, D, z,
    return_last_state=True) for a positive dt (the softplus already applied), but
    batch-major: u, dt, z (b, l, d), A (d, n), B, C (b, l, n) -> y (b, l, d), the last
    state (b, d, n). Runs in float32 at least, as the CUDA kernel does."""
    dtype = torch.promote_types(u.dtype, torch.float32)
    u, dt, B, C = u.to(dtype), dt.to(dtype), B.to(dtype), C.to(dtype)
    keep = torch.is_grad_enabled() and any(x.requires_grad for x in (u, dt, A, B, C))
    with torch.autocast(u.device.type, enabled=False):  # bmm must not drop to bfloat16
        y, h = SelectiveScan.apply(u, dt, A.to(dtype).t().contiguous(), B, C, keep)
    return (torch.addcmul(y, u, D) * F.silu(z.to(dtype))).to(z.dtype), h.transpose(1, 2)


class MambaMixer(nn.Module):
    """mamba-ssm's Mamba module: one selective-SSM mixer, (b, l, n_embd) -> (b, l, n_embd)."""

    def __init__(self, config):
        super().__init__()
        d_model, d_inner, n = config.n_embd, config.expand * config.n_embd, config.d_state
        self.d_conv, self.d_state = config.d_conv, n
        self.dt_rank = math.ceil(d_model / 16)
        self.in_proj = nn.Linear(d_model, 2 * d_inner, bias=False)
        self.conv1d = nn.Conv1d(d_inner, d_inner, config.d_conv, groups=d_inner, padding=config.d_conv - 1)
        self.x_proj = nn.Linear(d_inner, self.dt_rank + 2 * n, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, d_inner, bias=True)
        self.out_proj = nn.Linear(d_inner, d_model, bias=False)
        # mamba-ssm's init: dt = softplus(dt_proj(.)) starts log-uniform in [dt_min, dt_max], A = -(1, ..., N) per channel
        nn.init.uniform_(self.dt_proj.weight, -self.dt_rank ** -0.5, self.dt_rank ** -0.5)
        dt = torch.exp(torch.rand(d_inner) * (math.log(config.dt_max) - math.log(config.dt_min)) + math.log(config.dt_min))
        dt = dt.clamp(min=1e-4)
        with torch.no_grad():
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))  # the inverse of softplus
        self.A_log = nn.Parameter(torch.log(torch.arange(1, n + 1, dtype=torch.float32)).repeat(d_inner, 1))  # (d, n)
        self.D = nn.Parameter(torch.ones(d_inner))
        self.A_log._no_weight_decay = self.D._no_weight_decay = True  # as in mamba-ssm

    def forward(self, x, cache=None, kernels=None):
        b, l, _ = x.shape
        x, z = (F.linear(x, w) for w in self.in_proj.weight.chunk(2))  # (b, l, d) each, contiguous
        if cache:
            return self.step(x, z, cache, kernels)
        if cache is not None:  # prefill: keep the last d_conv conv inputs, zero-padded on the left
            cache[:] = [F.pad(x, (0, 0, self.d_conv - l, 0)).transpose(1, 2).contiguous(), None]  # (b, d, d_conv)
        conv = kernels and kernels['causal_conv1d_fn']
        if conv:
            x = conv(x.transpose(1, 2), self.conv1d.weight[:, 0], self.conv1d.bias, activation='silu').transpose(1, 2)
        else:
            x = F.silu(CausalConv.apply(x, self.conv1d.weight[:, 0].t().contiguous(), self.conv1d.bias))  # (b, l, d)
        dt, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)  # (b, l, r), (b, l, n) x2
        A = -torch.exp(self.A_log.float())  # (d, n)
        if kernels:  # the kernel adds dt's bias and applies the softplus itself
            y, h = kernels['selective_scan_fn'](x.transpose(1, 2), F.linear(dt, self.dt_proj.weight).transpose(1, 2), A,
                                                B.transpose(1, 2), C.transpose(1, 2), self.D.float(), z=z.transpose(1, 2),
                                                delta_bias=self.dt_proj.bias.float(), delta_softplus=True, return_last_state=True)
            y = y.transpose(1, 2)  # (b, l, d)
        else:
            y, h = selective_scan(x, F.softplus(self.dt_proj(dt)), A, B, C, self.D, z)  # dt (b, l, d)
        if cache is not None:
            cache[1] = h  # (b, d, n)
        return self.out_proj(y)

    def step(self, x, z, cache, kernels):
        """One token: x, z (b, 1, d); advances cache = [conv_state, ssm_state] in place."""
        if x.size(1) != 1:
            raise ValueError(f"with a filled cache, feed one token at a time, not {x.size(1)}")
        (x, z), (conv_state, ssm_state) = (x[:, 0], z[:, 0]), cache  # (b, d); (b, d, d_conv), (b, d, n)
        if kernels and kernels['causal_conv1d_update']:
            x = kernels['causal_conv1d_update'](x, conv_state, self.conv1d.weight[:, 0], self.conv1d.bias, 'silu')
        else:
            conv_state.copy_(torch.cat([conv_state[:, :, 1:], x[:, :, None]], dim=-1))
            x = F.silu((conv_state * self.conv1d.weight[:, 0]).sum(-1) + self.conv1d.bias)  # (b, d)
        dt, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)  # (b, r), (b, n) x2
        dt = F.linear(dt, self.dt_proj.weight)  # (b, d)
        A = -torch.exp(self.A_log.float())  # (d, n)
        if kernels and kernels['selective_state_update']:
            y = kernels['selective_state_update'](ssm_state, x, dt, A, B, C, self.D, z=z, dt_bias=self.dt_proj.bias, dt_softplus=True)
        else:
            dt = F.softplus(dt.to(ssm_state.dtype) + self.dt_proj.bias)  # (b, d)
            ssm_state.mul_(torch.exp(dt[:, :, None] * A)).addcmul_((dt * x)[:, :, None], B[:, None, :])  # (b, d, n)
            y = ((ssm_state @ C[:, :, None].to(ssm_state.dtype))[..., 0] + self.D * x) * F.silu(z)  # (b, d)
        return self.out_proj(y.to(x.dtype))[:, None]  # (b, 1, n_embd)


class MambaBlock(nn.Module):
    """A residual block: x + mixer(norm(x))."""

    def __init__(self, config):
        super().__init__()
        self.norm = nn.RMSNorm(config.n_embd, eps=1e-5)
        self.mixer = MambaMixer(config)
        self.backend = config.backend
        with torch.no_grad():  # mamba-ssm's init: out_proj scaled by 1/sqrt(n_layer)
            self.mixer.out_proj.weight /= math.sqrt(config.n_layer)

    def forward(self, x, cache=None):
        return x + self.mixer(self.norm(x), cache, pick_kernels(self.backend, x.device.type))


class Mamba(nn.Module):

    def __init__(self, config):
        super().__init__()
        pick_kernels(config.backend, 'cuda' if config.backend == 'cuda' else 'cpu')  # a bad backend fails here, not later
        self.config = config
        self.backbone = nn.ModuleDict(dict(
            embedding=nn.Embedding(config.vocab_size, config.n_embd),
            layers=nn.ModuleList([MambaBlock(config) for _ in range(config.n_layer)]),
            norm_f=nn.RMSNorm(config.n_embd, eps=1e-5),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.backbone.embedding.weight  # weight tying
        self.heads = nn.ModuleDict()  # extra heads an objective adds (objectives.py)
        # mamba-ssm's init: embedding N(0, 0.02), out_proj scaled by 1/sqrt(n_layer) (MambaBlock), the rest PyTorch's defaults
        nn.init.normal_(self.backbone.embedding.weight, mean=0.0, std=0.02)

    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    def hidden(self, idx, cache=None):
        """idx (B, T) tokens -> the residual stream after the embedding and after
        each block: a list of n_layer + 1 tensors (B, T, C). cache: None, or
        new_cache(): empty, it runs the whole prefix and keeps each layer's
        recurrent state; filled, it takes one token and advances the states in place."""
        xs = [self.backbone.embedding(idx)]  # (B, T, C)
        for i, layer in enumerate(self.backbone.layers):
            xs.append(layer(xs[-1], None if cache is None else cache[i]))
        return xs

    def final_norm(self, x):
        return self.backbone.norm_f(x)

    def forward(self, idx, targets=None, cache=None):
        """idx (B, T) tokens -> logits (B, T, vocab), and the mean loss over the
        positions where targets (B, T) is not -1."""
        logits = self.lm_head(self.final_norm(self.hidden(idx, cache)[-1]))  # (B, T, vocab)
        return logits, None if targets is None else lm_loss(logits, targets)

    def new_block(self):
        """A fresh block like this model's own (an extra head)."""
        return MambaBlock(self.config)

    def new_cache(self):
        return [[] for _ in self.backbone.layers]

    def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
        return configure_adamw(self, weight_decay, learning_rate, betas, device_type)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, use_cache=True):
        """Greedy continuation of idx (B, T) by max_new_tokens tokens, as GPT.generate."""
        return greedy_generate(self, idx, max_new_tokens, use_cache)
