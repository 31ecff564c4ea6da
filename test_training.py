"""
The training loop (train.py): exact resume, atomic checkpoints, loud errors before
anything is written, DDP equal to one process, and a fuzzed config parser.
$ python -m pytest -q test_training.py
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

import train
from model import GPT
from conftest import HERE, NUM_NODES, ONE_THREAD, TINY, read_log, tiny_cfg, write_config


# -----------------------------------------------------------------------------
# reliability: exact resume, safe checkpoints, loud errors, DDP, fuzzing

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
    model = train.build_model(ckpt['config'])
    ckpt['model'] = torch.compile(model).state_dict()
    assert all(k.startswith('_orig_mod.') for k in ckpt['model'])
    del ckpt['config']['stop_at_lookup']  # a checkpoint older than a key had its default, so it resumes
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
    (['--cooldown_iters=-1'], 'cooldown_iters=-1 must be >= 0'),
    (['--dtype=float16'], "dtype='float16' needs a CUDA device (loss scaling), not 'cpu'"),
    (['--edge_local=True', '--objective=mlm_u'], "edge_local=True masks a causal GPT trained from scratch"),
    (['--edge_local=True', '--model_type=mamba'], "edge_local=True masks a causal GPT trained from scratch"),
    (['--a1_stand_in=a2', '--path_len=3'], "a1_stand_in='a2' asks the a1 slot for a node between a1 and g"),
    (['--a1_loss_from=10'], "a1_loss_from=10 holds a teacherless a1 target, which objective='forward' does not have"),
    (['--a1_wait_acc=1.5', '--objective=teacherless'], "a1_wait_acc=1.5 is an accuracy: 0 (no wait) to 1"),
    (['--a1_stand_in=frontier', '--objective=teacherless'], "a1_stand_in='frontier' follows the hops as evaluations"),
    pytest.param(['--device=cuda'], "device='cuda' but CUDA is not available here",
                 marks=pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA is available')),
])
def test_impossible_options_fail_before_anything_is_written(tmp_path, args, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        train.train(tiny_cfg(tmp_path / 'out', *args))
    assert not (tmp_path / 'out').exists()


def test_learning_rate_schedules():
    cfg = dict(train.DEFAULTS, learning_rate=1e-3, min_lr=1e-4, warmup_iters=100, max_iters=1000)
    cosine = [train.get_lr(it, cfg) for it in range(1000)]
    assert cosine[0] < cosine[99] < cosine[100] == pytest.approx(1e-3) and cosine[550] == pytest.approx(5.5e-4)
    assert all(a >= b for a, b in zip(cosine[100:], cosine[101:])) and train.get_lr(1000, cfg) == pytest.approx(1e-4)
    cooldown = [train.get_lr(it, dict(cfg, cooldown_iters=200)) for it in range(1001)]
    assert cooldown[:100] == cosine[:100]  # the same warmup
    assert cooldown[100:801] == [1e-3] * 701  # then the peak, held until the cooldown
    assert cooldown[900] == pytest.approx(5.5e-4) and cooldown[1000] == pytest.approx(1e-4)  # a straight line down


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
        train.load_config([write_config(tmp_path, text)])
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
