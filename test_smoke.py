"""
Tests, CPU only, a few minutes in all: $ python -m pytest -q test_smoke.py
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import data
import train
from model import GPT, GPTConfig

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
    data.write_text(str(tmp_path / 'train.txt'), train_seq, 3, 4)
    assert torch.equal(data.read_text(str(tmp_path / 'train.txt'), 3, 4, 20), train_seq)


def test_objectives_align_inputs_and_targets():
    deg, path_len, N = 2, 5, 50
    seq, _ = data.make_splits(deg, path_len, N, 4, 1, seed=0)
    P = data.prefix_len(deg, path_len)
    path = seq[:, P:]
    eq, dummy = data.special_tokens(N)['eq'], data.special_tokens(N)['dummy']
    for objective, target in [('forward', path), ('teacherless', path), ('reverse', path.flip(1))]:
        x, y = data.make_batch(seq, deg, path_len, N, objective)
        assert x.shape == y.shape == (4, P + path_len - 1)
        assert (y[:, :P - 1] == -1).all() and torch.equal(y[:, P - 1:], target)
        assert torch.equal(x[:, :P], seq[:, :P]) and (x[:, P - 1] == eq).all()
        answer_inputs = x[:, P:]  # the inputs that predict target tokens 2..l
        assert torch.equal(answer_inputs, torch.full_like(answer_inputs, dummy) if objective == 'teacherless' else target[:, :-1])

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


def test_teacherless_generation_is_one_pass_over_dummies():
    model = tiny_gpt()
    seq, _ = data.make_splits(2, 5, 50, 8, 1, seed=0)
    x, _ = data.make_batch(seq, 2, 5, 50, 'teacherless')
    P, dummy = data.prefix_len(2, 5), data.special_tokens(50)['dummy']
    out = model.generate(x[:, :P], 5, dummy_token=dummy)
    logits, _ = model(x)
    assert torch.equal(out[:, P:], logits[:, P - 1:].argmax(-1))


def test_loss_only_on_target_positions():
    model = tiny_gpt()
    seq, _ = data.make_splits(2, 5, 50, 8, 1, seed=0)
    x, y = data.make_batch(seq, 2, 5, 50, 'forward')
    _, loss = model(x, y)
    logits, _ = model(x)
    P = data.prefix_len(2, 5)
    manual = torch.nn.functional.cross_entropy(logits[:, P - 1:].reshape(-1, 54), y[:, P - 1:].reshape(-1))
    torch.testing.assert_close(loss, manual)


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
    # sample.py reads the checkpoint and scores a file in the authors' format
    import sample
    _, test_seq = data.make_splits(2, 5, 50, 0, 500, seed=1337)  # the run's own test split
    data.write_text(str(tmp_path / 'test.txt'), test_seq, 2, 5)
    res = sample.main([f'--out_dir={tmp_path}', f"--data={tmp_path / 'test.txt'}", '--device=cpu'])
    assert res['path_acc'] == rec['path_acc']

# -----------------------------------------------------------------------------
# bench.py and sweep.py


def test_bench_prints_its_figures_as_json():
    r = subprocess.run([sys.executable, 'bench.py', 'config/star_d2_l5.py', '--n_train=2000', '--n_test=100',
                        '--bench_steps=2', '--warmup_steps=1', '--eval_graphs=16', '--peak_size=256',
                        '--compare_mamba=False', '--device=cpu'], cwd=HERE, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    for key in ('tokens_per_s', 'ms_per_step', 'mfu', 'peak_gflops', 'data_gen_s', 'eval_ms_per_graph'):
        assert res[key] > 0, key
    assert res['tokens_per_step'] == 64 * 31 and res['eval_nocache_ms_per_graph'] > res['eval_ms_per_graph']


def test_sweep_table_means_and_spreads():
    import sweep
    recs = [dict(config='config/star_d2_l5.py', seed=s, iter=3000, path_acc=p, forced_acc=[1, p, 1, 0.9, 1], elapsed_s=60 * s)
            for s, p in ((1, 0.4), (2, 0.5), (3, 0.6))]
    (row,) = sweep.tabulate(recs)
    assert row['graph'] == 'G(2,5) N=50' and row['objective'] == 'forward' and row['chance'] == 0.5
    assert row['path_acc'] == dict(mean=pytest.approx(0.5), min=0.4, max=0.6)
    assert row['forced_acc_3_to_l']['mean'] == pytest.approx(2.9 / 3) and row['wall_min']['max'] == 3
    assert '| G(2,5) N=50 | gpt | forward | 3 | 0.50 (0.40-0.60) |' in sweep.markdown([row])
