"""
Shared test helpers. tiny_cfg: a run of a few seconds. write_text: graphs to a file in the
authors' text format. stop_then_resume: a run stopped at its first checkpoint, resumed, ends
as the uninterrupted run. one_thread: torch on one thread for the test. tiny_pretrained: a tiny random GPT-2 and a tiny random GPT-NeoX
(Pythia's architecture), saved with save_pretrained() beside a byte-level BPE tokenizer
trained on the task's own text, as pretrained.py expects to find them in a directory
(so the tests need no model hub). Tests using it skip where
transformers is not installed (pip install -r requirements-pretrained.txt).
"""
import json
import os

import pytest
import torch

import data
import train
from runtime import save_text

HERE = os.path.dirname(os.path.abspath(__file__))
# the authors' own test files, where a checkout has them (tests that read them skip elsewhere)
AUTHORS = os.path.join(HERE, '..', 'shared', 'data')
AUTHORS_FILES = [('authors_deg_2_path_5_nodes_50_test_20000.txt', 2, 5), ('authors_deg_5_path_3_nodes_50_test_20000.txt', 5, 3)]
TINY = ['--n_train=2000', '--n_test=100', '--n_layer=1', '--n_head=2', '--n_embd=16', '--batch_size=16',
        '--warmup_iters=10', '--learning_rate=3e-3', '--eval_samples=50', '--device=cpu', '--dtype=float32']
ONE_THREAD = dict(os.environ, OMP_NUM_THREADS='1')  # several processes share the cores
NUM_NODES = 20  # labels 0..19: two-digit labels, which the tokenizer must learn to keep whole


def tiny_cfg(out_dir, *args):
    """A run of a few seconds: a one-layer model, 6 steps, an evaluation every 2."""
    return train.load_config(TINY + ['--max_iters=6', '--eval_interval=2', '--log_interval=1', f'--out_dir={out_dir}', *args])


def read_log(out_dir):
    """log.jsonl without wall-clock times."""
    with open(os.path.join(out_dir, 'log.jsonl')) as f:
        return [{k: v for k, v in json.loads(line).items() if k != 'elapsed_s'} for line in f]


def write_config(tmp_path, text):
    path = tmp_path / 'cfg.py'
    path.write_text(text)
    return str(path)


def write_text(path, seq, deg, path_len):
    save_text(str(path), '\n'.join(data.to_text(seq, deg, path_len)) + '\n')


def train_tokenizer(path):
    """A byte-level BPE (GPT-2's pre-tokenizer) trained on task text, saved for AutoTokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    train, _ = data.make_splits(2, 5, NUM_NODES, 2000, 10, seed=0)
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator(data.to_text(train, 2, 5), trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe)
    tokenizer.save_pretrained(path)
    return tokenizer


def stop_then_resume(cfg, tmp_path, monkeypatch):
    """Train cfg to its end (tmp_path/ref); train it again, stopped just after its first checkpoint,
    then resumed (tmp_path/run): the two final models must be equal, bitwise."""
    train.train(dict(cfg, out_dir=str(tmp_path / 'ref')))
    save = train.save_atomically

    def save_then_stop(path, write):
        save(path, write)
        if path.endswith('ckpt.pt'):
            raise InterruptedError('stopped after the first checkpoint')
    monkeypatch.setattr(train, 'save_atomically', save_then_stop)
    with pytest.raises(InterruptedError):
        train.train(dict(cfg, out_dir=str(tmp_path / 'run')))
    monkeypatch.setattr(train, 'save_atomically', save)
    assert train.load_checkpoint(str(tmp_path / 'run' / 'ckpt.pt'))['iter_num'] == cfg['eval_interval']
    train.train(dict(cfg, out_dir=str(tmp_path / 'run'), init_from='resume'))
    a, b = (torch.load(tmp_path / d / 'ckpt.pt', weights_only=True)['model'] for d in ('ref', 'run'))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.fixture
def one_thread():
    """Small ops stall on OpenMP barriers when other processes share the 2 cores
    (20x slower with 2 threads here): one thread, as the Mamba configs and sweeps run."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope='session')
def tiny_pretrained(tmp_path_factory):
    """{'gpt2': DIR, 'neox': DIR}: tiny random models with their tokenizer, in float32."""
    transformers = pytest.importorskip('transformers', reason='pretrained models need transformers (requirements-pretrained.txt)')
    torch.manual_seed(0)
    dirs = {}
    for kind in ('gpt2', 'neox'):
        path = tmp_path_factory.mktemp(kind)
        vocab = len(train_tokenizer(path))
        if kind == 'gpt2':
            config = transformers.GPT2Config(vocab_size=vocab, n_positions=64, n_embd=32, n_layer=2, n_head=2, bos_token_id=0, eos_token_id=0)
            model = transformers.GPT2LMHeadModel(config)
        else:
            config = transformers.GPTNeoXConfig(vocab_size=vocab, max_position_embeddings=64, hidden_size=32, num_hidden_layers=2,
                                                num_attention_heads=2, intermediate_size=128, rotary_pct=0.25, use_parallel_residual=True)
            model = transformers.GPTNeoXForCausalLM(config)
        model.save_pretrained(path)
        dirs[kind] = str(path)
    return dirs
