"""
Pretrained models (pretrained.py): GPT-2's weights in model.py's GPT and Pythia's transformers model
behind TextModel give the transformers model's own logits; the task's text goes in as the model's
tokenizer writes it; generation with a cache equals generation without; fine-tuning learns; a
missing model or a tokenizer that splits a label is a one-line error. The models are tiny random
ones built by conftest.tiny_pretrained (no model hub is reachable here); the tests skip where
transformers is not installed. Resume and DDP with a pretrained model: test_smoke.py.

$ python -m pytest -q test_pretrained.py
"""
import os
import subprocess
import sys
from contextlib import nullcontext

import pytest
import torch

import data
import objectives
import sample
import train
from conftest import NUM_NODES, write_text

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ('gpt2', 'neox')


def cfg_of(path, *args):
    return train.load_config(['--deg=2', '--path_len=5', f'--num_nodes={NUM_NODES}', f'--init_from={path}', '--dtype=float32', *args])


def graphs(n=16, seed=1):
    return data.make_splits(2, 5, NUM_NODES, 0, n, seed)[1]


def transformers_model(path):
    import transformers
    return transformers.AutoModelForCausalLM.from_pretrained(path).float().eval()


def test_gpt2_weights_in_our_gpt_give_the_transformers_logits(tiny_pretrained):
    model = train.build_model(cfg_of(tiny_pretrained['gpt2'])).eval()
    text = torch.randint(0, model.base.config.vocab_size, (4, 40))  # any tokens, not only the task's
    with torch.no_grad():
        ours, theirs = model.base(text)[0], transformers_model(tiny_pretrained['gpt2'])(text).logits
    torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-5)


@pytest.mark.parametrize('kind', KINDS)
def test_task_logits_are_the_text_models_where_it_predicts_the_next_label(tiny_pretrained, kind):
    from transformers import AutoTokenizer
    model = train.build_model(cfg_of(tiny_pretrained[kind])).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_pretrained[kind])
    seq = graphs()
    x = seq[:, :-1]
    text, read = model.text(x, model.layout(x[0].tolist()))
    # the text is the tokenizer's own reading of the authors' lines (the last label is never an input)
    assert [tokenizer.encode(line)[:-1] for line in data.to_text(seq, 2, 5)] == text.tolist()
    P = data.prefix_len(2, 5)
    assert tokenizer.decode(text[0, read[P - 1:]]) == '=,,,,'  # s is read at '=', the next labels at the commas after p1..p4
    with torch.no_grad():
        theirs = transformers_model(tiny_pretrained[kind])(text).logits[:, read][..., model.ids]  # (B, T, N+4)
        ours = model(x)[0]
    torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-5)


@pytest.mark.parametrize('kind', KINDS)
def test_generation_with_the_cache_equals_generation_without(tiny_pretrained, kind):
    model = train.build_model(cfg_of(tiny_pretrained[kind])).eval()
    torch.manual_seed(0)
    with torch.no_grad():  # larger random weights: varied outputs, symbols among them
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.5)
    prompt = graphs(64)[:, :data.prefix_len(2, 5)]
    with_cache, without = model.generate(prompt, 5), model.generate(prompt, 5, use_cache=False)
    assert torch.equal(with_cache, without)
    assert (with_cache[:, -5:] >= NUM_NODES).any()  # a random model writes symbols too: the layout copes with any token


@pytest.mark.parametrize('kind', KINDS)
@pytest.mark.usefixtures('one_thread')
def test_a_few_finetuning_steps_lower_the_loss(tiny_pretrained, kind):
    cfg = cfg_of(tiny_pretrained[kind])
    model = train.build_model(cfg)
    step = objectives.Loss(model, cfg)
    optimizer = model.configure_optimizers(0.0, 1e-2, (0.9, 0.99), 'cpu')
    batch = objectives.get(cfg).batch(graphs(32), cfg, None)
    losses = [train.train_step(step, optimizer, torch.amp.GradScaler(enabled=False), batch, nullcontext(), 1.0).item() for _ in range(40)]
    assert losses[-1] < 0.75 * losses[0], losses  # 32 graphs memorised, in part


@pytest.mark.usefixtures('one_thread')
def test_a_finetuned_checkpoint_scores_the_same_in_sample_py(tiny_pretrained, tmp_path):
    args = ['--n_train=2000', '--n_test=200', '--batch_size=32', '--max_iters=20', '--eval_interval=20', '--warmup_iters=5',
            '--learning_rate=1e-2', '--eval_samples=100', '--device=cpu', f'--out_dir={tmp_path}']
    last = train.train(cfg_of(tiny_pretrained['gpt2'], *args))
    assert torch.load(tmp_path / 'ckpt.pt', weights_only=True)['config']['init_from'] == tiny_pretrained['gpt2']  # what sample.py builds
    _, test = data.make_splits(2, 5, NUM_NODES, 0, 200, 1337)  # the run's own test split
    write_text(tmp_path / 'test.txt', test[:100], 2, 5)
    res = sample.main([f'--out_dir={tmp_path}', f'--data={tmp_path}/test.txt'])
    assert res == {k: last[k] for k in res}


@pytest.mark.parametrize('objective', list(objectives.OBJECTIVES))
@pytest.mark.parametrize('kind', KINDS)
def test_every_objective_runs_on_a_pretrained_model_or_says_why_not(tiny_pretrained, kind, objective):
    cfg = cfg_of(tiny_pretrained[kind], f'--objective={objective}')
    obj = objectives.OBJECTIVES[objective]
    if kind == 'neox' and (obj.needs_hooks or obj.bidirectional):
        with pytest.raises(ValueError, match=f"objective='{objective}' needs model.py's GPT"):
            train.build_model(cfg)
        return
    model = train.build_model(cfg)
    seq = graphs(8)
    loss = objectives.Loss(model, cfg)(objectives.get(cfg).batch(seq, cfg, torch.Generator().manual_seed(0)))
    loss.backward()
    assert loss.isfinite() and all(p.grad is not None for p in model.heads.parameters())
    res = objectives.evaluate(model, seq, cfg, torch.autocast('cpu', enabled=False))
    assert 0 <= res['path_acc'] <= 1 and len(res['forced_acc']) == 5


def test_a_tokenizer_that_splits_a_label_fails_loudly(tiny_pretrained):
    # the tiny tokenizer learned the labels 0..19 only: '20' is two tokens
    with pytest.raises(ValueError, match=r"its tokenizer writes '20' as 2 tokens, not one"):
        train.build_model(cfg_of(tiny_pretrained['gpt2'], '--num_nodes=30'))


def test_a_missing_model_is_one_line_saying_where_it_looked(tiny_pretrained, tmp_path):
    # offline: where there is network the same run would download the model instead
    env = dict(os.environ, HF_HOME=str(tmp_path / 'hf'), HF_HUB_CACHE=str(tmp_path / 'hf' / 'hub'), HF_HUB_OFFLINE='1')
    r = subprocess.run([sys.executable, 'train.py', '--init_from=gpt2-large', '--device=cpu', f'--out_dir={tmp_path}/run'],
                       cwd=HERE, env=env, capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.count('\n') == 1, r.stderr
    assert r.stderr.startswith(f"error: init_from='gpt2-large': not in the Hugging Face cache ({tmp_path}/hf/hub)")
    assert '`hf download gpt2-large`' in r.stderr and not os.path.exists(tmp_path / 'run')


def test_init_from_must_name_a_model_or_a_directory():
    with pytest.raises(ValueError, match=r"init_from='gtp2' is not 'scratch', 'resume', a GPT-2 name \(gpt2, gpt2-medium"):
        train.check_config(train.load_config(['--init_from=gtp2']), 'cpu', 1)
    with pytest.raises(ValueError, match="init_from='gpt2' loads a pretrained Transformer; use model_type='gpt'"):
        train.check_config(train.load_config(['--init_from=gpt2', '--model_type=mamba']), 'cpu', 1)
