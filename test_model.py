"""
The models: model.py's GPT (edge-local attention; cached decoding and loud errors
are in test_smoke.py) and mamba.py (the scan
against a float64 loop, the CUDA kernels only where they import, recurrent decoding).
$ python -m pytest -q test_model.py
"""
import warnings

import pytest
import torch
from torch.nn import functional as F

import data
import mamba
import objectives
import train


# -----------------------------------------------------------------------------
# the GPT's edge-local attention (edge_local=True): an edge-list token sees its own
# edge only; the query and the path see everything before them


def test_edge_local_attention_hides_other_edges_from_edge_tokens_only():
    cfg = dict(train.DEFAULTS, n_layer=2, n_head=2, n_embd=32, edge_local=True)
    torch.manual_seed(0)
    model = train.bare_model(cfg).double().eval()
    seq, _ = data.make_splits(2, 5, 50, 8, 1, seed=0)
    E = data.edge_list_len(2, 5)
    changed = seq.clone()
    changed[:, 0] = (changed[:, 0] + 1) % 50  # the first edge's source
    seq, changed = seq[:, :-1], changed[:, :-1]  # model inputs
    out, out_changed = model(seq)[0], model(changed)[0]
    assert torch.equal(out[:, 3:E], out_changed[:, 3:E])  # later edges never saw the first
    assert (out[:, E:] - out_changed[:, E:]).abs().amax(-1).min() > 0  # the query and path positions did
    causal = train.bare_model(dict(cfg, edge_local=False)).double().eval()
    causal.load_state_dict(model.state_dict())
    assert (causal(seq)[0][:, 3:E] - causal(changed)[0][:, 3:E]).abs().max() > 0  # without the mask they would
    for p in model.parameters():  # larger weights so the greedy paths are far from uniform
        p.data.mul_(20)
    P = data.prefix_len(2, 5)
    assert torch.equal(model.generate(seq[:, :P], 5), model.generate(seq[:, :P], 5, use_cache=False))


# -----------------------------------------------------------------------------
# mamba (mamba.py): the pure-PyTorch scan against a plain float64 loop, the CUDA
# kernels chosen only when they import, recurrent decoding, a tiny run that learns



def scan_reference(u, dt, A, B, C, D, z):
    """mamba-ssm's selective_scan_ref as a plain loop over time: u, dt, z (b, l, d),
    A (d, n), B, C (b, l, n) -> y (b, l, d), the last state (b, d, n)."""
    h, ys = u.new_zeros(u.size(0), *A.shape), []
    for t in range(u.size(1)):
        h = torch.exp(dt[:, t, :, None] * A) * h + (dt[:, t] * u[:, t])[:, :, None] * B[:, t, None, :]
        ys.append((h * C[:, t, None, :]).sum(-1))
    return (torch.stack(ys, 1) + u * D) * F.silu(z), h


def rel_err(x, ref):
    return ((x.double() - ref).abs().max() / ref.abs().max()).item()


@pytest.mark.usefixtures('one_thread')
def test_mamba_scan_is_exact_values_and_gradients():
    torch.manual_seed(0)
    b, l, d, n = 3, 40, 8, 6
    dt = torch.exp(torch.empty(b, l, d).uniform_(-7, 3))  # 0.001 to 20: decays from ~1 down to exp(-400) = 0
    A = -torch.exp(torch.randn(d, n)) * torch.arange(1, n + 1)
    inputs = dict(u=torch.randn(b, l, d), dt=dt, A=A, B=torch.randn(b, l, n), C=torch.randn(b, l, n),
                  D=torch.randn(d), z=torch.randn(b, l, d))
    ours = {k: v.clone().requires_grad_() for k, v in inputs.items()}
    ref = {k: v.double().requires_grad_() for k, v in inputs.items()}
    (y, h), (y_ref, h_ref) = mamba.selective_scan(**ours), scan_reference(**ref)
    assert y.dtype == torch.float32 and rel_err(y, y_ref) < 1e-5 and rel_err(h, h_ref) < 1e-5
    gy = torch.randn(b, l, d, dtype=torch.float64)
    (y * gy.float()).sum().backward()
    (y_ref * gy).sum().backward()
    for k in inputs:
        assert rel_err(ours[k].grad, ref[k].grad) < 1e-5, k
    # the causal conv too, against nn.Conv1d
    x = torch.randn(b, l, d, dtype=torch.float64, requires_grad=True)
    conv = torch.nn.Conv1d(d, d, 4, groups=d, padding=3).double()
    ref_out = conv(x.transpose(1, 2))[..., :l].transpose(1, 2)
    out = mamba.CausalConv.apply(x, conv.weight[:, 0].t().contiguous(), conv.bias)
    g = torch.randn_like(out)
    torch.testing.assert_close(out, ref_out)
    torch.testing.assert_close(torch.autograd.grad((out * g).sum(), [x, conv.weight, conv.bias]),
                               torch.autograd.grad((ref_out * g).sum(), [x, conv.weight, conv.bias]))


def tiny_mamba(**kw):
    torch.manual_seed(0)
    return mamba.Mamba(mamba.MambaConfig(**dict(dict(vocab_size=54, n_layer=2, n_embd=32, d_state=8), **kw))).eval()


@pytest.mark.usefixtures('one_thread')
def test_mamba_recurrent_generation_equals_full_decoding():
    model = tiny_mamba()
    for p in model.parameters():  # larger weights so the greedy paths are far from uniform
        p.data.mul_(4)
    seq, _ = data.make_splits(2, 5, 50, 64, 1, seed=0)
    P = data.prefix_len(2, 5)
    cached = model.generate(seq[:, :P], 5)
    full = model.generate(seq[:, :P], 5, use_cache=False)
    assert torch.equal(cached, full) and len(set(cached[:, -5:].flatten().tolist())) > 5
    model.double()  # the logits too: one recurrent step sees what the full forward sees
    cache = model.new_cache()
    steps = [model(full[:, :P], cache=cache)[0]] + [model(full[:, i:i + 1], cache=cache)[0] for i in range(P, full.size(1) - 1)]
    torch.testing.assert_close(torch.cat(steps, dim=1), model(full[:, :-1])[0], rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match='feed one token at a time'):
        model(full[:, :2], cache=cache)


def fake_kernels(calls):
    """mamba-ssm's and causal-conv1d's kernels as documented (signatures, (b, d, l)
    layouts, in-place state updates), in plain PyTorch: they let a CPU run mamba.py's
    CUDA branch, to check what it passes them."""
    def selective_scan_fn(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False, return_last_state=False):
        calls.append('selective_scan_fn')
        delta = F.softplus(delta + delta_bias[:, None]) if delta_softplus else delta + delta_bias[:, None]
        y, h = scan_reference(*(t.transpose(1, 2) for t in (u, delta)), A, B.transpose(1, 2), C.transpose(1, 2), D, z.transpose(1, 2))
        return (y.transpose(1, 2), h) if return_last_state else y.transpose(1, 2)

    def causal_conv1d_fn(x, weight, bias=None, activation=None):
        calls.append('causal_conv1d_fn')
        return F.silu(F.conv1d(x, weight[:, None], bias, padding=weight.size(1) - 1, groups=x.size(1))[..., :x.size(2)])

    def causal_conv1d_update(x, conv_state, weight, bias=None, activation=None):
        calls.append('causal_conv1d_update')
        conv_state.copy_(torch.cat([conv_state[:, :, 1:], x[:, :, None]], dim=-1))
        return F.silu((conv_state * weight).sum(-1) + bias)

    def selective_state_update(state, x, dt, A, B, C, D=None, z=None, dt_bias=None, dt_softplus=False):
        calls.append('selective_state_update')
        dt = F.softplus(dt + dt_bias)
        state.copy_(state * torch.exp(dt[:, :, None] * A) + (dt * x)[:, :, None] * B[:, None, :])
        return ((state * C[:, None, :]).sum(-1) + D * x) * F.silu(z)
    return dict(selective_scan_fn=selective_scan_fn, causal_conv1d_fn=causal_conv1d_fn,
                causal_conv1d_update=causal_conv1d_update, selective_state_update=selective_state_update)


@pytest.mark.usefixtures('one_thread')
def test_mamba_kernels_only_when_they_import_and_never_on_cpu(monkeypatch):
    def no_import():
        raise AssertionError('the CUDA kernels were looked up on a CPU')
    monkeypatch.setattr(mamba, 'import_kernels', no_import)
    x, _ = objectives.next_token_pair(data.make_splits(2, 5, 50, 4, 1, seed=0)[0], dict(deg=2, path_len=5))
    for backend in ('auto', 'torch'):  # CPU: the pure-PyTorch path, the importer never called
        tiny_mamba(backend=backend).generate(x[:, :27], 5)
    assert mamba.pick_kernels('torch', 'cuda') is None
    with pytest.raises(ValueError, match="backend='gpu' is not one of 'auto', 'cuda', 'torch'"):
        tiny_mamba(backend='gpu')
    # a GPU: the kernels when they import, else a warning (once) and the PyTorch path; 'cuda' insists
    calls, kernels = [], None
    monkeypatch.setattr(mamba, 'import_kernels', lambda: kernels)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('default')  # Python's own: once per place in the code
        assert mamba.pick_kernels('auto', 'cuda') is None and mamba.pick_kernels('auto', 'cuda') is None
    assert [str(w.message)[:40] for w in caught] == ["mamba-ssm's CUDA kernels do not import: "]  # warned once
    with pytest.raises(ValueError, match="backend='cuda' needs mamba-ssm's CUDA kernels, which do not import here"):
        tiny_mamba(backend='cuda')
    kernels = fake_kernels(calls)
    assert mamba.pick_kernels('auto', 'cuda') is kernels and mamba.pick_kernels('cuda', 'cuda') is kernels
    with pytest.raises(ValueError, match="backend='cuda' needs the model on a CUDA device, not 'cpu'"):
        mamba.pick_kernels('cuda', 'cpu')
    # the CUDA branch passes the kernels what they expect: the same logits, full and recurrent, as the PyTorch path
    model = tiny_mamba().double()
    ref, ref_steps = model(x)[0], model.generate(x[:, :27], 5)
    monkeypatch.setattr(mamba, 'pick_kernels', lambda backend, device_type: kernels)
    torch.testing.assert_close(model(x)[0], ref, rtol=1e-5, atol=1e-6)  # the kernels get float32 A, D, dt bias
    assert torch.equal(model.generate(x[:, :27], 5), ref_steps)
    assert set(calls) == {'selective_scan_fn', 'causal_conv1d_fn', 'causal_conv1d_update', 'selective_state_update'}


@pytest.mark.usefixtures('one_thread')
def test_mamba_parameter_names_are_mamba_ssms_and_a_log_d_not_decayed():
    model = tiny_mamba(n_layer=1)
    names = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert names == {  # mamba_ssm MambaLMHeadModel(d_model=32, n_layer=1, vocab_size=54, ssm_cfg=dict(d_state=8), rms_norm=True)
        'backbone.embedding.weight': (54, 32), 'backbone.layers.0.norm.weight': (32,),
        'backbone.layers.0.mixer.A_log': (64, 8), 'backbone.layers.0.mixer.D': (64,),
        'backbone.layers.0.mixer.in_proj.weight': (128, 32), 'backbone.layers.0.mixer.conv1d.weight': (64, 1, 4),
        'backbone.layers.0.mixer.conv1d.bias': (64,), 'backbone.layers.0.mixer.x_proj.weight': (18, 64),
        'backbone.layers.0.mixer.dt_proj.weight': (64, 2), 'backbone.layers.0.mixer.dt_proj.bias': (64,),
        'backbone.layers.0.mixer.out_proj.weight': (32, 64), 'backbone.norm_f.weight': (32,), 'lm_head.weight': (54, 32)}
    mixer = model.backbone.layers[0].mixer
    assert torch.equal(mixer.A_log, torch.log(torch.arange(1., 9.)).repeat(64, 1))  # A = -(1..N)
    dt = F.softplus(mixer.dt_proj.bias)
    assert 0.001 <= dt.min() and dt.max() <= 0.1
    decayed, not_decayed = model.configure_optimizers(0.1, 1e-3, (0.9, 0.95), 'cpu').param_groups
    assert any(p is mixer.conv1d.weight for p in decayed['params'])
    assert any(p is mixer.A_log for p in not_decayed['params']) and not any(p is mixer.A_log for p in decayed['params'])


@pytest.mark.usefixtures('one_thread')
def test_mamba_training_learns(tmp_path):
    cfg = train.load_config(['config/star_d2_l5_mamba.py'])
    cfg.update(out_dir=str(tmp_path), n_train=4000, n_test=200, max_iters=200, eval_interval=200, log_interval=50,
               eval_samples=0, n_layer=1, n_embd=48, d_state=8, batch_size=32, learning_rate=1e-2, warmup_iters=20,
               device='cpu', dtype='float32')
    rec = train.train(cfg)
    assert rec['train_loss'] < 3.0  # over the last 50 steps; from 4 (uniform over 54 tokens)
    assert rec['forced_acc'][0] > 0.95 and rec['forced_acc'][4] > 0.2  # s and g, copied from the prefix


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU')
def test_mamba_cuda_kernels_match_the_pytorch_scan():
    if mamba.import_kernels() is None:
        pytest.skip('mamba-ssm does not import (pip install -r requirements-gpu.txt)')
    x, y = objectives.next_token_pair(data.make_splits(2, 5, 50, 64, 1, seed=0)[0], dict(deg=2, path_len=5))
    models = [tiny_mamba(backend=backend).cuda().train() for backend in ('cuda', 'torch')]
    losses = [m(x.cuda(), y.cuda())[1] for m in models]
    for m, loss in zip(models, losses):
        loss.backward()
    torch.testing.assert_close(losses[0], losses[1], rtol=1e-4, atol=1e-5)
    for (name, p), q in zip(models[0].named_parameters(), models[1].parameters()):
        torch.testing.assert_close(p.grad, q.grad, rtol=1e-3, atol=1e-5, msg=name)
