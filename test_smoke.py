"""
The smoke test: what a newcomer's first run touches, quick. A config file and its
overrides, the GPT's cached decoding, and a tiny run that learns the Clever-Hans
cheat, scored again by sample.py. The rest by concern: test_data.py, test_model.py,
test_training.py, test_objectives.py, test_tools.py, test_lookup.py, test_pretrained.py.
$ python -m pytest -q
"""
import json
import subprocess
import sys

import pytest
import torch

import data
import runtime
import train
from model import GPT, GPTConfig
from conftest import HERE, write_config, write_text


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




def test_config_file_and_overrides(tmp_path):
    cfg = train.load_config([write_config(tmp_path, "import math\ndeg = 5\nlearning_rate = 3e-4\n"), '--deg=3', '--device=cpu', '--min_lr=0'])
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
    path = write_config(tmp_path, "n_layers = 4\n")
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
