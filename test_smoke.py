"""
Tests, CPU only, a few minutes in all: $ python -m pytest -q test_smoke.py
"""
import io
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import pytest
import torch
from hypothesis import given, settings, strategies as st

import data
import objectives
import runtime
import train
from conftest import write_text
from model import GPT, GPTConfig
from conftest import NUM_NODES, stop_then_resume

HERE = os.path.dirname(os.path.abspath(__file__))
AUTHORS = os.path.join(HERE, '..', 'shared', 'data')
AUTHORS_FILES = [('authors_deg_2_path_5_nodes_50_test_20000.txt', 2, 5), ('authors_deg_5_path_3_nodes_50_test_20000.txt', 5, 3)]

# -----------------------------------------------------------------------------
# data


@pytest.mark.parametrize('deg,path_len,num_nodes', [(2, 5, 50), (5, 3, 50), (3, 4, 10), (2, 2, 30)])
def test_graphs_are_valid_path_stars(deg, path_len, num_nodes):
    train_seq, test_seq = data.make_splits(deg, path_len, num_nodes, 300, 100, seed=0)
    P = data.prefix_len(deg, path_len)
    assert train_seq.shape == (300, P + path_len) and test_seq.shape == (100, P + path_len)
    for line in data.to_text(torch.cat([train_seq, test_seq]), deg, path_len):
        edges_text, rest = line.split('/')
        edges = [tuple(map(int, e.split(','))) for e in edges_text.split('|')]
        query, path_text = rest.split('=')
        s, g = map(int, query.split(','))
        path = list(map(int, path_text.split(',')))
        nodes = {u for e in edges for u in e}
        assert len(nodes) == deg * (path_len - 1) + 1 and max(nodes) < num_nodes  # distinct labels
        children = {}
        for u, v in edges:
            children.setdefault(u, []).append(v)
        assert len(children[s]) == deg and all(len(c) == 1 for u, c in children.items() if u != s)
        assert not any(v == s for _, v in edges)  # edges point away from s
        assert path[0] == s and path[-1] == g and len(path) == path_len
        assert all((u, v) in edges for u, v in zip(path, path[1:]))
        assert g not in children  # the goal is a leaf


def test_generation_is_deterministic_and_seeded():
    a = data.make_splits(2, 5, 50, 1000, 200, seed=3)
    b = data.make_splits(2, 5, 50, 1000, 200, seed=3)
    c = data.make_splits(2, 5, 50, 1000, 200, seed=4)
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not torch.equal(a[0], c[0])
    # the test split does not depend on n_train
    assert torch.equal(a[1], data.make_splits(2, 5, 50, 10, 200, seed=3)[1])


def test_train_and_test_are_disjoint_even_when_graphs_collide():
    # G(2,2) over 5 labels has only 5 * C(4,2) = 30 distinct graphs, so collisions are certain
    train_seq, test_seq = data.make_splits(2, 2, 5, 40, 10, seed=0)
    arms = lambda seq: {(r[-2], frozenset(v for u, v in zip(r[0:6:3], r[1:6:3]))) for r in seq.tolist()}
    assert len(train_seq) == 40 and not arms(train_seq) & arms(test_seq)
    with pytest.raises(ValueError, match='too few distinct graphs'):
        data.make_splits(2, 2, 4, 10, 200, seed=0)  # 4 * 3 = 12 graphs in all, all of them in the test split


def test_online_batches_are_seeded_by_step_and_never_a_test_graph():
    # G(2,2) over 5 labels has 5 x 6 = 30 distinct graphs: a third of them are test graphs
    _, test = data.make_splits(2, 2, 5, 0, 20, seed=3)
    keys = set(data.graph_keys(test.numpy(), 2, 2))
    assert 8 <= len(keys) <= 20
    batches = [data.online_batch(3, it, rank, 32, 2, 2, 5, keys) for it in range(20) for rank in (0, 1)]
    assert not keys & {k for b in batches for k in data.graph_keys(b.numpy(), 2, 2)}
    unfiltered = data.online_batch(3, 0, 0, 32, 2, 2, 5, frozenset())
    assert keys & set(data.graph_keys(unfiltered.numpy(), 2, 2))  # without the filter, test graphs come up
    assert torch.equal(batches[0], data.online_batch(3, 0, 0, 32, 2, 2, 5, keys))  # the step and rank decide the batch
    assert not torch.equal(batches[0], batches[1]) and not torch.equal(batches[0], batches[2])


def test_online_training_resumes_exactly(tmp_path, monkeypatch):
    stop_then_resume(tiny_cfg(tmp_path, '--online=True', '--max_iters=6', '--eval_interval=3'), tmp_path, monkeypatch)


def test_goal_arm_not_marked_by_edge_order():
    seq, _ = data.make_splits(2, 5, 50, 20000, 10, seed=1)
    P = data.prefix_len(2, 5)
    first_hop = seq[:, P + 1]  # a1 on the goal arm
    where = (seq[:, 1:P - 3:3] == first_hop[:, None]).float().argmax(1)  # index of edge (s, a1)
    # uniform over the 8 edge slots: mean 3.5, each slot ~1/8
    assert abs(where.float().mean().item() - 3.5) < 0.1
    assert (torch.bincount(where, minlength=8).float() / len(seq) - 1 / 8).abs().max() < 0.02


@pytest.mark.parametrize('deg,path_len,num_nodes,match', [(2, 5, 8, 'num_nodes=8 is too small'),
                                                          (1, 5, 50, 'deg >= 2'), (2, 1, 50, 'path_len >= 2')])
def test_impossible_graphs_fail_loudly(deg, path_len, num_nodes, match):
    with pytest.raises(ValueError, match=match):
        data.make_splits(deg, path_len, num_nodes, 10, 10, seed=0)


@pytest.mark.parametrize('name,deg,path_len', AUTHORS_FILES)
def test_authors_files_round_trip(name, deg, path_len):
    path = os.path.join(AUTHORS, name)
    if not os.path.exists(path) and not os.environ.get('CI'):  # in CI the project's shared/ is always beside the clone
        pytest.skip(f"the authors' file {path} is not here")
    seq = data.read_text(path, deg, path_len, 50)
    assert seq.shape == (20000, data.prefix_len(deg, path_len) + path_len)
    with open(path) as f:
        assert data.to_text(seq, deg, path_len) == f.read().split()


@pytest.mark.parametrize('line,match', [
    ('1,2|1,3/1,2=1', ':1: expected 2 edges and a path of 2 nodes'),
    ('1,2|1,3/1,3=1,2', 'does not follow the edges'),
    ('1,2|1,3/1,2=1,2,', ":1: not 'u,v"),
    ('1,2|1,99/1,99=1,99', 'label 99 out of range'),
    ('', 'no samples'),
])
def test_malformed_authors_lines_name_the_line(line, match):
    with pytest.raises(ValueError, match=match):
        data.from_text([line], 2, 2, 50)
    if line:
        with pytest.raises(ValueError, match=':2: '):
            data.from_text(['1,2|1,3/1,2=1,2', line], 2, 2, 50)


def test_write_then_read_text(tmp_path):
    train_seq, _ = data.make_splits(3, 4, 20, 50, 10, seed=0)
    write_text(tmp_path / 'train.txt', train_seq, 3, 4)
    assert torch.equal(data.read_text(str(tmp_path / 'train.txt'), 3, 4, 20), train_seq)


# -----------------------------------------------------------------------------
# model


def tiny_gpt(**kw):
    torch.manual_seed(0)
    return GPT(GPTConfig(**dict(dict(block_size=31, vocab_size=54, n_layer=2, n_head=2, n_embd=32), **kw))).eval()


def test_kv_cache_generation_equals_full_reforward():
    model = tiny_gpt()
    for p in model.parameters():  # larger weights so the greedy paths are far from uniform
        p.data.mul_(20)
    seq, _ = data.make_splits(2, 5, 50, 64, 1, seed=0)
    prefix = seq[:, :data.prefix_len(2, 5)]
    cached = model.generate(prefix, 5)
    full = model.generate(prefix, 5, use_cache=False)
    assert torch.equal(cached, full) and len(set(cached[:, -5:].flatten().tolist())) > 5
    # the logits too, in float64: a cached step sees what the full forward sees
    model.double()
    cache = model.new_cache()
    logits_prefill, _ = model(full[:, :-1][:, :-4], cache=cache)
    steps = [model(full[:, i:i + 1], cache=cache)[0] for i in range(prefix.size(1), full.size(1) - 1)]
    ref, _ = model(full[:, :-1])
    torch.testing.assert_close(torch.cat([logits_prefill] + steps, dim=1), ref, rtol=1e-9, atol=1e-9)


def test_sequence_longer_than_block_size_fails_loudly():
    with pytest.raises(ValueError, match='longer than block_size=31'):
        tiny_gpt()(torch.zeros(1, 40, dtype=torch.long))

# -----------------------------------------------------------------------------
# config


def write(tmp_path, text):
    path = tmp_path / 'cfg.py'
    path.write_text(text)
    return str(path)


def test_config_file_and_overrides(tmp_path):
    cfg = train.load_config([write(tmp_path, "import math\ndeg = 5\nlearning_rate = 3e-4\n"), '--deg=3', '--device=cpu', '--min_lr=0'])
    assert (cfg['deg'], cfg['learning_rate'], cfg['device'], cfg['min_lr']) == (3, 3e-4, 'cpu', 0.0)
    assert isinstance(cfg['min_lr'], float)


@pytest.mark.parametrize('args,match', [
    (['--lerning_rate=1e-3'], "unknown config key 'lerning_rate'"),
    (['--deg=2.5'], 'deg=2.5 has type float, expected int'),
    (['--compile=1'], 'compile=1 has type int, expected bool'),
    (['--objective=sideways'], "objective='sideways' is not one of"),
    (['--deg'], 'expected --key=value'),
    (['nope.py'], "config file 'nope.py' not found"),
])
def test_bad_config_fails_loudly(args, match):
    with pytest.raises(ValueError, match=match):
        train.load_config(args)


def test_typo_in_config_file_names_file_and_key(tmp_path):
    path = write(tmp_path, "n_layers = 4\n")
    with pytest.raises(ValueError, match=r"cfg\.py: unknown config key 'n_layers'"):
        train.load_config([path])


def test_bad_config_on_command_line_is_one_line():
    r = subprocess.run([sys.executable, 'train.py', '--batchsize=8'], cwd=HERE, capture_output=True, text=True)
    assert r.returncode != 0 and r.stderr.strip() == "error: --batchsize=8: unknown config key 'batchsize'"

# -----------------------------------------------------------------------------
# end to end


def tiny_run(tmp_path, **kw):
    cfg = train.load_config(['config/star_d2_l5.py'])
    cfg.update(dict(out_dir=str(tmp_path), n_train=20000, n_test=500, max_iters=600, eval_interval=300,
                    log_interval=100, eval_samples=0, device='cpu', dtype='float32'), **kw)
    rec = train.train(cfg)
    with open(tmp_path / 'log.jsonl') as f:
        return rec, [json.loads(line) for line in f]


def test_training_learns_the_clever_hans_cheat(tmp_path):
    rec, log = tiny_run(tmp_path)
    assert [r['iter'] for r in log] == [0, 300, 600] and log[-1] == rec
    assert {'iter', 'elapsed_s', 'train_loss', 'path_acc', 'forced_acc', 'gen_acc'} <= set(rec)
    assert log[0]['path_acc'] < 0.05 and rec['train_loss'] < log[1]['train_loss']
    assert min(rec['forced_acc'][2:]) > 0.9 and rec['forced_acc'][0] > 0.95  # copying and the edge lookup
    assert 0.3 < rec['forced_acc'][1] < 0.7 and 0.3 < rec['path_acc'] < 0.7  # the first hop is a guess
    assert rec['arm_acc'] > 0.9  # ... and then it follows the arm it guessed: the cheat as a number
    # sample.py reads the checkpoint and scores a file in the authors' format
    import sample
    _, test_seq = data.make_splits(2, 5, 50, 0, 500, seed=1337)  # the run's own test split
    write_text(tmp_path / 'test.txt', test_seq, 2, 5)
    res = sample.main([f'--out_dir={tmp_path}', f"--data={tmp_path / 'test.txt'}", '--device=cpu'])
    assert res['path_acc'] == rec['path_acc']
    assert sample.main([f'--out_dir={tmp_path}', '--data=test', '--device=cpu']) == res  # the run's own split, no file
    # scored where dtype='auto' would pick bf16 for this model (an AMX CPU, the width threshold lowered),
    # sample.py still evaluates in the run's own float32 and gives the run's own numbers
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runtime, 'cpu_has_amx', lambda: True)
        mp.setattr(runtime, 'BF16_MIN_WIDTH_CPU', 1)
        assert runtime.pick_dtype('auto', 'cpu', 'gpt', 96) == 'bfloat16'
        again = sample.main([f'--out_dir={tmp_path}', f"--data={tmp_path / 'test.txt'}", '--device=cpu'])
    assert again == res

# -----------------------------------------------------------------------------
# bench.py and sweep.py


def test_bench_prints_its_figures_as_json():
    r = subprocess.run([sys.executable, 'bench.py', 'config/star_d2_l5.py', '--n_train=2000', '--n_test=100',
                        '--bench_steps=2', '--warmup_steps=1', '--eval_graphs=16', '--peak_size=256',
                        '--n_layer=1', '--n_embd=30', '--device=cpu'], cwd=HERE, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    for key in ('tokens_per_s', 'ms_per_step', 'mfu', 'peak_gflops', 'data_gen_s', 'eval_ms_per_graph',
                'mamba_ms_per_step', 'mamba_no_scan_ms_per_step', 'warmup_s', 'ms_per_step_float32', 'ms_per_step_bfloat16'):
        assert res[key] > 0, key
    assert res['tokens_per_step'] == 64 * 31 and res['eval_nocache_ms_per_graph'] > res['eval_ms_per_graph']
    assert res['bf16_speedup'] == pytest.approx(res['ms_per_step_float32'] / res['ms_per_step_bfloat16'])


def test_auto_dtype_and_bf16_on_cpu(monkeypatch):
    pick = runtime.pick_dtype
    monkeypatch.setattr(runtime, 'cpu_has_amx', lambda: True)  # bf16 only where it measured faster: wide GPTs
    assert pick('auto', 'cpu', 'gpt', 384) == pick('auto', 'cpu', 'gpt', 768) == 'bfloat16'
    assert pick('auto', 'cpu', 'gpt', 96) == pick('auto', 'cpu', 'gpt', 192) == pick('auto', 'cpu', 'mamba', 384) == 'float32'
    assert pick('float32', 'cpu', 'gpt', 384) == 'float32' and pick('bfloat16', 'cpu', 'gpt', 96) == 'bfloat16'
    monkeypatch.setattr(runtime, 'cpu_has_amx', lambda: False)
    assert pick('auto', 'cpu', 'gpt', 384) == pick('auto', 'cpu', 'gpt', 96) == pick('auto', 'mps', 'gpt', 384) == 'float32'
    # the bf16 autocast step (what 'auto' picks on an AMX CPU) trains like the fp32 one
    cfg = train.load_config(['config/star_d2_l5.py', '--n_layer=1', '--n_embd=48'])
    batch = objectives.ntp_batch(data.make_splits(2, 5, 50, 64, 0, seed=0)[0], cfg, None)
    losses = {}
    for dtype in ('float32', 'bfloat16'):
        torch.manual_seed(0)
        model = train.build_model(cfg)
        opt = model.configure_optimizers(0.1, 3e-3, (0.9, 0.95), 'cpu')
        scaler = torch.amp.GradScaler(enabled=False)
        step = objectives.Loss(model, cfg)
        losses[dtype] = [train.train_step(step, opt, scaler, batch, runtime.autocast('cpu', dtype), 1.0).item() for _ in range(20)]
    assert losses['bfloat16'][-1] < 0.8 * losses['bfloat16'][0]
    assert losses['bfloat16'] == pytest.approx(losses['float32'], rel=0.05)


def test_sweep_table_means_and_spreads():
    import sweep
    recs = [dict(config='config/star_d2_l5.py', seed=s, iter=3000, path_acc=p, forced_acc=[1, p, 1, 0.9, 1], elapsed_s=60 * s)
            for s, p in ((1, 0.4), (2, 0.5), (3, 0.6))]
    (row,) = sweep.tabulate(recs)
    assert row['graph'] == 'G(2,5) N=50' and row['objective'] == 'forward' and row['chance'] == 0.5
    assert row['path_acc'] == dict(mean=pytest.approx(0.5), min=0.4, max=0.6)
    assert row['forced_acc_3_to_l']['mean'] == pytest.approx(2.9 / 3) and row['wall_min']['max'] == 3
    assert '| G(2,5) N=50 | gpt 3x96 | forward | 3 | 3,000 | 0.50 (0.40-0.60) |' in sweep.markdown([row])


def test_every_grid_entry_is_a_config_train_py_accepts():
    import sweep
    for name, grid in sweep.GRIDS.items():
        for config in grid['configs']:  # load_config raises on a missing file, an unknown key or a bad value
            assert sweep.cost(config) > 0 and sweep.describe(config)[0].startswith('G('), (name, config)


def test_sweep_goes_on_past_a_failed_cell_and_never_reruns_a_done_one(tmp_path, monkeypatch):
    import sweep
    bad = tmp_path / 'bad.py'
    bad.write_text("max_iter = 2\n")  # a typo'd key: its train.py run exits with an error
    monkeypatch.chdir(HERE)
    monkeypatch.setattr(sweep, 'GRIDS', dict(t=dict(seeds=[1], configs=[str(bad), 'config/star_d2_l5.py'])))
    monkeypatch.setattr(sweep, 'SWEEP_DIR', str(tmp_path / 'sweep'))
    monkeypatch.setattr(sweep, 'RESULTS_DIR', str(tmp_path / 'results'))
    monkeypatch.setattr(sweep, 'cost', lambda config: 0)  # the bad config cannot be read; keep the grid order
    args = ['--grid=t', '--max_iters=2', '--eval_interval=2'] + TINY
    with pytest.raises(SystemExit, match=r'1 cell\(s\) failed: bad_s1'):
        sweep.main(args)
    (row,) = json.loads((tmp_path / 'results' / 'results.json').read_text())  # the good cell is tabulated
    assert row['config'] == 'config/star_d2_l5.py' and row['iters'] == 2
    done = tmp_path / 'sweep' / 'star_d2_l5_s1' / 'done.json'
    before = done.stat().st_mtime_ns
    monkeypatch.setattr(sweep, 'GRIDS', dict(t=dict(seeds=[1], configs=['config/star_d2_l5.py'])))
    sweep.main(args)
    assert done.stat().st_mtime_ns == before

# -----------------------------------------------------------------------------
# reliability: exact resume, safe checkpoints, loud errors, DDP, fuzzing

TINY = ['--n_train=2000', '--n_test=100', '--n_layer=1', '--n_head=2', '--n_embd=16', '--batch_size=16',
        '--warmup_iters=10', '--learning_rate=3e-3', '--eval_samples=50', '--device=cpu', '--dtype=float32']
ONE_THREAD = dict(os.environ, OMP_NUM_THREADS='1')  # several processes share the cores


def tiny_cfg(out_dir, *args):
    return train.load_config(TINY + ['--max_iters=6', '--eval_interval=2', '--log_interval=1', f'--out_dir={out_dir}', *args])


def read_log(out_dir):
    """log.jsonl without wall-clock times."""
    with open(os.path.join(out_dir, 'log.jsonl')) as f:
        return [{k: v for k, v in json.loads(line).items() if k != 'elapsed_s'} for line in f]


def loss_lines(text):
    """The printed loss curve: 'iter N: loss X, lr Y' without timings."""
    return re.findall(r'^(iter \d+: loss \S+ lr \S+)', text.replace(',', ''), re.M)


def source_args(source, request):
    """Training from scratch, or fine-tuning conftest's tiny GPT-2 (pretrained.py): the same guarantees."""
    if source == 'scratch':
        return []
    return [f"--init_from={request.getfixturevalue('tiny_pretrained')['gpt2']}", f'--num_nodes={NUM_NODES}']


@pytest.mark.parametrize('source', ['scratch', 'pretrained'])
def test_kill9_mid_run_then_resume_equals_the_uninterrupted_run(tmp_path, source, request):
    # dropout: the resumed run needs the RNG state as well as the weights, optimizer and data position
    cmd = [sys.executable, 'train.py', *TINY, '--dropout=0.1', '--max_iters=200', '--eval_interval=10', '--log_interval=5',
           *source_args(source, request)]
    ref_dir, run_dir = tmp_path / 'ref', tmp_path / 'run'
    with open(tmp_path / 'ref.out', 'w') as ref_out, open(tmp_path / 'run.out', 'w') as run_out:
        ref = subprocess.Popen(cmd + [f'--out_dir={ref_dir}'], cwd=HERE, env=ONE_THREAD, stdout=ref_out, stderr=subprocess.STDOUT)
        run = subprocess.Popen(cmd + [f'--out_dir={run_dir}'], cwd=HERE, env=ONE_THREAD, stdout=run_out, stderr=subprocess.STDOUT)
        # kill -9 once a checkpoint exists and training has moved past it (each one is written just after its log line)
        deadline = time.time() + 120
        while not (os.path.exists(run_dir / 'log.jsonl') and len(read_log(run_dir)) >= 6):  # evaluations 0..50
            assert run.poll() is None and time.time() < deadline, (tmp_path / 'run.out').read_text()
            time.sleep(0.01)
        run.send_signal(signal.SIGKILL)
        assert run.wait() == -signal.SIGKILL and ref.wait(timeout=120) == 0
    killed_at = train.load_checkpoint(str(run_dir / 'ckpt.pt'))['iter_num']
    assert 40 <= killed_at < 200  # mid-run
    r = subprocess.run(cmd + [f'--out_dir={run_dir}', '--init_from=resume'], cwd=HERE, env=ONE_THREAD, capture_output=True, text=True)
    assert r.returncode == 0 and f'resumed at iter {killed_at}' in r.stdout, r.stderr
    # the same records (losses, accuracies, lr), the same printed loss curve after the kill, the same final state, bitwise
    assert read_log(run_dir) == read_log(ref_dir) and len(read_log(ref_dir)) == 21
    ref_curve = loss_lines((tmp_path / 'ref.out').read_text())
    assert loss_lines(r.stdout) == ref_curve[killed_at // 5:] and len(ref_curve) == 40
    a, b = (torch.load(d / 'ckpt.pt', weights_only=True) for d in (ref_dir, run_dir))
    assert a['iter_num'] == b['iter_num'] == 200
    for x, y in [(a['model'], b['model'])] + list(zip(a['optimizer']['state'].values(), b['optimizer']['state'].values())):
        assert x.keys() == y.keys() and all(torch.equal(x[k], y[k]) for k in x)
    assert torch.equal(a['rng']['cpu'], b['rng']['cpu'])


def test_checkpoints_are_atomic_and_bad_ones_fail_loudly_overwriting_nothing(tmp_path):
    train.train(tiny_cfg(tmp_path))
    path = str(tmp_path / 'ckpt.pt')
    good = open(path, 'rb').read()

    def crash(f):  # a crash half-way through writing the next checkpoint
        f.write(good[:len(good) // 2])
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        train.save_atomically(path, crash)
    assert open(path, 'rb').read() == good and train.load_checkpoint(path)['iter_num'] == 6

    def saved(obj):
        buf = io.BytesIO()
        torch.save(obj, buf)
        return buf.getvalue()
    log = (tmp_path / 'log.jsonl').read_bytes()
    for content, match in [(good[:len(good) // 2], 'is not a readable checkpoint'),
                           (b'32,3|16,12/32,12=32,16,12\n', 'is not a readable checkpoint'),
                           (saved({'model': print}), r'is not a readable checkpoint \(it refers to code, print,'),  # loading runs no code
                           (saved({'weights': torch.zeros(2)}), 'is not a pathstar checkpoint: no model, config, iter_num, optimizer')]:
        with open(path, 'wb') as f:
            f.write(content)
        with pytest.raises(ValueError, match=match) as e:
            train.train(tiny_cfg(tmp_path, '--init_from=resume'))
        assert '\n' not in str(e.value)
        assert open(path, 'rb').read() == content and (tmp_path / 'log.jsonl').read_bytes() == log
    # a resume must be the same experiment; where it runs and how it logs may change
    with open(path, 'wb') as f:
        f.write(good)
    with pytest.raises(ValueError, match=r"trained with deg=2, n_embd=16, not deg=3, n_embd=32: resume with the run's own config"):
        train.train(tiny_cfg(tmp_path, '--init_from=resume', '--deg=3', '--n_embd=32'))
    with pytest.raises(ValueError, match=r"trained with learning_rate=0\.003, not learning_rate=0\.001"):
        train.train(tiny_cfg(tmp_path, '--init_from=resume', '--learning_rate=1e-3'))
    with pytest.raises(ValueError, match=r"no checkpoint at .*elsewhere/ckpt\.pt \(init_from='resume' needs one\)"):
        train.train(tiny_cfg(tmp_path / 'elsewhere', '--init_from=resume'))
    # a compiled model's state_dict ('_orig_mod.' keys) loads, in train.py and sample.py alike
    ckpt = train.load_checkpoint(path)
    model = train.build_model(ckpt['config'], block_size=31)
    ckpt['model'] = torch.compile(model).state_dict()
    assert all(k.startswith('_orig_mod.') for k in ckpt['model'])
    torch.save(ckpt, path)
    assert train.train(tiny_cfg(tmp_path, '--init_from=resume', '--log_interval=3'))['iter'] == 6
    model.load_state_dict(train.load_checkpoint(path)['model'])


@pytest.mark.parametrize('poison,match,last_good', [('loss', 'loss is nan at iter 5', 4),
                                                    ('grad', 'non-finite weights at iter 4', 2)])
def test_nonfinite_loss_stops_the_run_and_keeps_the_last_good_checkpoint(tmp_path, monkeypatch, poison, match, last_good):
    forward, steps = GPT.forward, []

    def poisoned(self, idx, targets=None, cache=None):
        logits, loss = forward(self, idx, targets, cache)
        if targets is not None:  # a training step
            steps.append(1)
            if poison == 'loss' and len(steps) == 5:
                loss = loss * float('nan')
            if poison == 'grad' and len(steps) == 4:  # a finite loss whose gradient is NaN: 0 * sqrt'(0)
                loss = loss + 0 * (loss - loss.detach()).sqrt()
        return logits, loss
    monkeypatch.setattr(GPT, 'forward', poisoned)
    with pytest.raises(FloatingPointError, match=match + r"; the last good checkpoint is kept in .*ckpt\.pt$"):
        train.train(tiny_cfg(tmp_path))
    ckpt = train.load_checkpoint(str(tmp_path / 'ckpt.pt'))
    assert ckpt['iter_num'] == last_good and all(t.isfinite().all() for t in ckpt['model'].values())
    assert [r['iter'] for r in read_log(tmp_path)] == list(range(0, last_good + 1, 2))


@pytest.mark.parametrize('args,match', [
    (['--deg=1'], 'deg=1: a path-star graph needs deg >= 2'),
    (['--path_len=1'], 'path_len=1: a path needs path_len >= 2 nodes'),
    (['--num_nodes=8'], 'num_nodes=8 is too small: G(2,5) has 9 nodes'),
    (['--n_head=3'], 'n_embd=16 must be a multiple of n_head=3'),
    (['--batch_size=4000'], 'batch_size=4000 must split evenly over 1 process(es) and be <= n_train=2000'),
    (['--log_interval=0'], 'log_interval=0 must be >= 1'),
    (['--dtype=float16'], "dtype='float16' needs a CUDA device (loss scaling), not 'cpu'"),
    pytest.param(['--device=cuda'], "device='cuda' but CUDA is not available here",
                 marks=pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA is available')),
])
def test_impossible_options_fail_before_anything_is_written(tmp_path, args, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        train.train(tiny_cfg(tmp_path / 'out', *args))
    assert not (tmp_path / 'out').exists()


def test_global_batch_must_split_over_the_processes(tmp_path, monkeypatch):
    for key, value in dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='3').items():  # as torchrun sets them
        monkeypatch.setenv(key, value)
    with pytest.raises(ValueError, match=re.escape('batch_size=16 must split evenly over 3 process(es)')):
        train.train(tiny_cfg(tmp_path / 'out'))  # fails before joining a process group
    assert not (tmp_path / 'out').exists()


@pytest.mark.parametrize('text,match', [
    ('deg = 2\nlearning_rate = 1e-3 *\n', r'cfg\.py:2: SyntaxError: invalid syntax'),
    ('deg = 2\n\nmin_lr = lr / 10\n', r"cfg\.py:3: NameError: name 'lr' is not defined"),
    ('n_layer = 4.0\n', r'cfg\.py: n_layer=4\.0 has type float, expected int'),
    ('learning_rate = 1e999\n', r'cfg\.py: learning_rate=inf is not a finite number'),
])
def test_bad_config_file_names_file_line_and_key(tmp_path, text, match):
    with pytest.raises(ValueError, match=match) as e:
        train.load_config([write(tmp_path, text)])
    assert '\n' not in str(e.value)


def test_errors_on_the_command_line_are_one_line(tmp_path):
    r = subprocess.run([sys.executable, 'train.py', '--device=cpu', '--init_from=resume', f'--out_dir={tmp_path}/none'],
                       cwd=HERE, capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr == f"error: no checkpoint at {tmp_path}/none/ckpt.pt (init_from='resume' needs one)\n"
    assert not (tmp_path / 'none').exists()


AUDITED_TRAIN = '''
import json, os, sys
sys.path.insert(0, {here!r})
import model, train  # imported before the hook: their bytecode caches are not the run's files
writes = []
def audit(event, args):  # every file this process creates, opens for writing, renames or removes
    if (event == 'open' and args[2] & (os.O_WRONLY | os.O_RDWR)) or event in ('os.rename', 'os.mkdir', 'os.remove'):
        writes.append(str(args[0]))
sys.addaudithook(audit)
train.train(train.load_config(sys.argv[1:]))
report = json.dumps(writes)  # to a file per rank: two ranks printing at once interleave their lines
open('writes_' + os.environ['RANK'] + '.json', 'w').write(report)
'''


@pytest.mark.parametrize('source', ['scratch', 'pretrained'])
def test_ddp_two_processes_give_the_one_process_curve_and_only_rank_0_writes(tmp_path, source, request):
    args = TINY + ['--max_iters=30', '--eval_interval=5', '--log_interval=5', *source_args(source, request)]
    (tmp_path / 'audited_train.py').write_text(AUDITED_TRAIN.format(here=HERE))
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2',
                        str(tmp_path / 'audited_train.py'), *args, f'--out_dir={tmp_path}/ddp'],
                       cwd=tmp_path, env=ONE_THREAD, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    writes = {rank: json.loads((tmp_path / f'writes_{rank}.json').read_text()) for rank in (0, 1)}
    mine = lambda paths: [p for p in paths if p.startswith((str(tmp_path), HERE))]  # not torch's own temporary files
    assert mine(writes[1]) == []
    assert {os.path.basename(p) for p in mine(writes[0])} == {'ddp', 'log.jsonl.tmp', 'ckpt.pt.tmp'}
    train.train(train.load_config(args + [f'--out_dir={tmp_path}/one']))  # the same global batch in one process
    one, ddp = read_log(tmp_path / 'one'), read_log(tmp_path / 'ddp')
    assert [r['iter'] for r in ddp] == [r['iter'] for r in one] == list(range(0, 31, 5))
    assert [r['train_loss'] for r in ddp[1:]] == pytest.approx([r['train_loss'] for r in one[1:]], rel=1e-5)
    a, b = (torch.load(tmp_path / d / 'ckpt.pt', weights_only=True)['model'] for d in ('one', 'ddp'))
    # GPT-2's biases start at 0, where summation order alone shows as 4e-6: atol 1e-5 for it, 1e-6 as before for the rest
    torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5 if source == 'pretrained' else 1e-6)


# fuzzing: any input gives a result or a one-line ValueError naming where, never a traceback from deep inside

FUZZ = settings(max_examples=200, deadline=None, database=None)
VALUES = st.one_of(st.text(max_size=12), st.integers().map(str), st.floats().map(repr), st.booleans().map(str),
                   st.sampled_from(['cpu', "'cpu'", '[1]', 'None', '1e999', '((', '0x10', '1_000', "'float16'", 'resume']))


def assert_types_kept(cfg):
    for key, default in train.DEFAULTS.items():  # a bad value never slips through as another type
        assert type(cfg[key]) is type(default), key
        assert key not in train.CHOICES or cfg[key] in train.CHOICES[key]
        assert not isinstance(cfg[key], float) or math.isfinite(cfg[key])


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(sorted(train.DEFAULTS) + ['lerning_rate', 'Deg', '']), VALUES), max_size=4),
       st.lists(st.text(max_size=10).map(lambda s: '--' + s), max_size=2))
def test_fuzz_command_line_config(pairs, junk):
    argv = [f'--{k}={v}' for k, v in pairs] + junk
    try:
        cfg = train.load_config(argv)
    except ValueError as e:
        msg = str(e)
        assert '\n' not in msg and any(msg.startswith((a if a.isprintable() else repr(a)) + ': ') for a in argv), msg
    else:
        assert_types_kept(cfg)


@FUZZ
@given(st.lists(st.one_of(
    st.tuples(st.sampled_from(sorted(train.DEFAULTS) + ['n_layers', 'lr']),
              st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=8), st.none(), st.lists(st.integers(), max_size=2))
              ).map(lambda kv: f'{kv[0]} = {kv[1]!r}'),
    st.text(max_size=20)), max_size=5))
def test_fuzz_config_file(lines):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'cfg.py')
        with open(path, 'w') as f:
            f.write('\n'.join(lines))
        try:
            cfg = train.load_config([path])
        except ValueError as e:
            assert '\n' not in str(e) and re.match(re.escape(path) + r'(:\d+)?: ', str(e)), str(e)
        else:
            assert_types_kept(cfg)


def is_path_star(edges, s, g, path, deg, path_len):
    """An independent check, by parent pointers: every node but s has one parent and
    reaches s; the deg leaves are path_len - 1 steps from s; path is s..g, g a leaf."""
    parent = {}
    for u, v in edges:
        if v in parent or v == s:
            return False
        parent[v] = u

    def depth(v):
        for d in range(path_len):
            if v == s:
                return d
            v = parent.get(v)
    leaves = set(parent) - {u for u, _ in edges}
    return (len(leaves) == deg and all(depth(v) is not None for v in parent) and all(depth(v) == path_len - 1 for v in leaves)
            and path[0] == s and path[-1] == g and g in leaves and all(parent.get(b) == a for a, b in zip(path, path[1:])))


STAR_LINES = data.to_text(data.make_splits(2, 3, 10, 30, 0, seed=0)[0], 2, 3)  # G(2,3) over 10 labels


@st.composite
def mutated_star_lines(draw):
    line = draw(st.sampled_from(STAR_LINES))
    for _ in range(draw(st.integers(0, 3))):
        i, c = draw(st.integers(0, len(line))), draw(st.sampled_from('0123456789,|/= x٣'))
        line = draw(st.sampled_from([line[:i] + c + line[i:], line[:i] + line[i + 1:], line[:i] + c + line[i + 1:]]))
    return line


@FUZZ
@given(st.lists(st.one_of(mutated_star_lines(), st.text(max_size=40)), min_size=1, max_size=4))
def test_fuzz_authors_format_reader(lines):
    def parse(line):  # a line that matched the format -> edges, s, g, path
        edges, rest = line.strip().split('/')
        query, path = rest.split('=')
        return ([tuple(map(int, e.split(','))) for e in edges.split('|')], *map(int, query.split(',')), list(map(int, path.split(','))))
    try:
        seq = data.from_text(lines, 2, 3, 10)
    except ValueError as e:
        msg = str(e)
        m = re.match(r'<text>:(\d+): ', msg)
        assert '\n' not in msg and (m or msg == '<text>: no samples'), msg
        if m and ('not a path-star' in msg or 'does not follow' in msg):  # no real path-star is refused
            assert not is_path_star(*parse(lines[int(m.group(1)) - 1]), 2, 3)
    else:
        accepted = [line.strip() for line in lines if line.strip()]
        assert all(is_path_star(*parse(line), 2, 3) for line in accepted)
        numbers = lambda line: list(map(int, re.findall(r'\d+', line)))  # read as written, not altered
        assert [numbers(line) for line in data.to_text(seq, 2, 3)] == [numbers(line) for line in accepted]

# -----------------------------------------------------------------------------
# mamba (mamba.py): the pure-PyTorch scan against a plain float64 loop, the CUDA
# kernels chosen only when they import, recurrent decoding, a tiny run that learns

import warnings

import mamba
from torch.nn import functional as F


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
    monkeypatch.setattr(mamba.pick_kernels, 'warned', False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
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
    assert torch.equal(models[0].generate(x[:, :27].cuda(), 5), models[1].generate(x[:, :27].cuda(), 5))
