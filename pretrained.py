"""
Pretrained GPT-2 and Pythia models, fine-tuned on the path-star task as the paper's
main Transformer results are (the authors: gpt2-large, batch 16, lr 1e-5; Pythia too).

$ pip install -r requirements-pretrained.txt
$ python train.py config/gpt2_d2_l5.py                          # GPT-2 small, the authors' settings
$ python train.py config/gpt2_d2_l5.py --init_from=gpt2-large   # the paper's model
$ python train.py config/pythia_d2_l5.py                        # pythia-410m-deduped
$ python train.py config/gpt2_d2_l5.py --init_from=/path/to/dir # a save_pretrained() directory

init_from names a model (read from the local Hugging Face cache, or downloaded into
it where there is network), or a directory with its config, weights and tokenizer. A
model that can be neither found nor downloaded is a one-line error saying where it
looked and how to fetch it elsewhere.

The two architectures:
- GPT-2's weights load into model.py's own GPT (nanoGPT's approach: the Conv1D
  matrices transposed, the tanh GELU that GPT-2 was trained with, biases on).
- Pythia (GPT-NeoX: rotary positions, attention and MLP in parallel, an untied
  unembedding) would be a second architecture in model.py, so it runs as the
  transformers model itself behind the same interface (HFModel): forward, reverse,
  teacherless, mixed and top; not mtp (new blocks on its trunk), bst (its backward
  encoder's untied unembedding would sit unused, which DDP refuses) or mlm_u
  (attention both ways).

Tokens. A pretrained model meets the task in its own vocabulary: the authors' text,
32,3|16,12|.../32,12=32,34,6,16,12, through its own tokenizer, where every label and
symbol must be one token (checked when the model is built, on real lines). TextModel
turns the task's token sequences into that text on the way in, commas included, and
reads the prediction of each next task token where the text model makes it: at the
comma after a label, where one follows. Its logits cover the task's N+4 tokens only
(their rows of the pretrained unembedding), so the loss falls on the path's labels
(the commas are formatting, written by the harness, not predicted; the authors' code
also trained on them), and evaluation scores whole paths as for every model.
"""
import dataclasses
import os

import torch
import torch.nn as nn
from torch.nn import functional as F

import data
from configurator import one_line
from model import GPT, GPTConfig, configure_adamw, greedy_generate, lm_loss

# (n_layer, n_head, n_embd) of the published models: what bench.py times when the weights are not here
SHAPES = {'gpt2': (12, 12, 768), 'gpt2-medium': (24, 16, 1024), 'gpt2-large': (36, 20, 1280), 'gpt2-xl': (48, 25, 1600),
          'pythia-70m': (6, 8, 512), 'pythia-160m': (12, 12, 768), 'pythia-410m': (24, 16, 1024), 'pythia-1b': (16, 8, 2048),
          'pythia-1.4b': (24, 16, 2048), 'pythia-2.8b': (32, 32, 2560)}


class NotFound(ValueError):
    """init_from names a model whose weights are not on this machine."""


def is_pretrained(init_from):
    return init_from not in ('scratch', 'resume')


def hub_ids(name):
    """The Hugging Face names a model goes by ('pythia-410m-deduped' -> EleutherAI/...)."""
    if name.startswith('gpt2'):
        return [name, 'openai-community/' + name]
    return ['EleutherAI/' + name] if name.startswith('pythia-') else []


def check_init_from(init_from):
    """One-line ValueError unless init_from is 'scratch', 'resume', a model name or a directory."""
    if is_pretrained(init_from) and not hub_ids(init_from) and not os.path.isdir(init_from):
        raise ValueError(f"init_from={init_from!r} is not 'scratch', 'resume', a GPT-2 name ({', '.join(n for n in SHAPES if n.startswith('gpt2'))}), "
                         f"a Pythia name (pythia-160m, pythia-410m-deduped, ...) or a directory")


def import_transformers(init_from):
    try:
        import transformers
    except ImportError:
        raise ValueError(f"init_from={init_from!r} needs transformers: pip install -r requirements-pretrained.txt") from None
    transformers.logging.set_verbosity_error()  # its advice on unused weights (attn.bias) is not for our users
    transformers.logging.disable_progress_bar()
    return transformers


def locate(init_from):
    """The local directory holding init_from: itself, its snapshot in the Hugging Face cache, or,
    where there is network, a fresh download into that cache."""
    if os.path.isdir(init_from):
        return init_from
    from huggingface_hub import constants, snapshot_download
    for local_only in (True, False):
        for repo in hub_ids(init_from):
            try:
                return snapshot_download(repo, local_files_only=local_only)
            except Exception as e:  # not cached under this name; or no network, or not on the hub
                why = one_line(e)
    raise NotFound(f"init_from={init_from!r}: not in the Hugging Face cache ({constants.HF_HUB_CACHE}) and not downloaded ({why}); "
                   f"on a machine with network run `hf download {hub_ids(init_from)[0]}` and copy that cache here, "
                   f"or save_pretrained() the model and its tokenizer to a directory and pass init_from=DIR")


def width(init_from):
    """n_embd of a pretrained model, from its config file alone (no weights loaded), or, where it is
    not on this machine, from its published shape (SHAPES); NotFound if neither."""
    try:
        return import_transformers(init_from).AutoConfig.from_pretrained(locate(init_from), local_files_only=True).hidden_size
    except NotFound:
        if init_from.removesuffix('-deduped') not in SHAPES:
            raise
        return SHAPES[init_from.removesuffix('-deduped')][2]


def load(cfg, causal=True, needs_hooks=False, shape_only=False):
    """The TextModel of cfg['init_from'] with its pretrained weights; causal=False: attention both ways;
    needs_hooks: the objective uses model.py's hooks (hidden states, new blocks), which only a GPT-2 has here;
    shape_only: random weights of a published model's shape and a made-up token map (bench.py, where the
    weights are not here)."""
    init_from = cfg['init_from']
    transformers = import_transformers(init_from)
    if shape_only:
        n_layer, n_head, n_embd = SHAPES[init_from.removesuffix('-deduped')]
        ids, comma = list(range(data.vocab_size(cfg['num_nodes']))), data.vocab_size(cfg['num_nodes'])
        if init_from.startswith('gpt2'):
            base = GPT(GPTConfig(block_size=1024, vocab_size=50257, n_layer=n_layer, n_head=n_head, n_embd=n_embd,
                                 dropout=cfg['dropout'], bias=True, gelu='tanh'))
        else:
            base = HFModel(transformers.GPTNeoXForCausalLM(transformers.GPTNeoXConfig(
                vocab_size=50304, hidden_size=n_embd, num_hidden_layers=n_layer, num_attention_heads=n_head,
                intermediate_size=4 * n_embd, rotary_pct=0.25, use_parallel_residual=True, max_position_embeddings=2048)))
        return TextModel(base, ids, comma, cfg['num_nodes'])
    path = locate(init_from)
    hf = transformers.AutoModelForCausalLM.from_pretrained(path, local_files_only=True).float()
    tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    kind = hf.config.model_type
    if kind == 'gpt2':
        base = gpt_from_gpt2(hf, cfg, causal)
    elif kind == 'gpt_neox':
        if needs_hooks or not causal:
            raise ValueError(f"objective={cfg['objective']!r} needs model.py's GPT (its hidden states, new blocks or attention "
                             f"both ways); a Pythia model runs the objectives that need only its logits")
        base = HFModel(hf)
    else:
        raise ValueError(f"init_from={init_from!r} is a {kind!r} model; pathstar loads 'gpt2' (GPT-2) and 'gpt_neox' (Pythia) models")
    model = TextModel(base, *task_token_ids(tokenizer, cfg['num_nodes'], init_from), cfg['num_nodes'])
    check_tokenization(model, tokenizer, cfg)
    return model


def gpt_from_gpt2(hf, cfg, causal=True):
    """model.py's GPT holding a transformers GPT2LMHeadModel's weights (the same names, as in nanoGPT)."""
    c = hf.config
    if c.activation_function not in ('gelu_new', 'gelu_pytorch_tanh', 'gelu'):
        raise ValueError(f"a GPT-2 with activation {c.activation_function!r}: model.py has the GELU only")
    model = GPT(GPTConfig(block_size=c.n_positions, vocab_size=c.vocab_size, n_layer=c.n_layer, n_head=c.n_head, n_embd=c.n_embd,
                          dropout=cfg['dropout'], bias=True, causal=causal,
                          gelu='none' if c.activation_function == 'gelu' else 'tanh'))
    theirs = hf.state_dict()
    conv1d = ('attn.c_attn.weight', 'attn.c_proj.weight', 'mlp.c_fc.weight', 'mlp.c_proj.weight')  # stored (in, out)
    with torch.no_grad():
        for name, p in model.state_dict().items():
            w = theirs[name]
            p.copy_(w.t() if name.endswith(conv1d) else w)
    return model


class HFModel(nn.Module):
    """A transformers causal LM (Pythia) behind the part of model.py's interface that
    TextModel uses. hidden() returns only the last residual stream, already through the
    model's final norm (transformers applies it), so final_norm is the identity."""

    def __init__(self, hf):
        super().__init__()
        self.hf = hf
        c = hf.config
        self.config = GPTConfig(block_size=c.max_position_embeddings, vocab_size=c.vocab_size, n_layer=c.num_hidden_layers,
                                n_head=c.num_attention_heads, n_embd=c.hidden_size, bias=True)

    @property
    def lm_head(self):
        return self.hf.get_output_embeddings()

    def hidden(self, idx, cache=None):
        if cache is None:
            return [self.hf.base_model(input_ids=idx).last_hidden_state]
        out = self.hf.base_model(input_ids=idx, past_key_values=cache[0] if cache else None, use_cache=True)
        cache[:] = [out.past_key_values]
        return [out.last_hidden_state]

    def final_norm(self, x):
        return x

    def new_cache(self):
        return []


def task_token_ids(tokenizer, num_nodes, init_from):
    """The tokenizer's token for each task token (labels 0..N-1, '|', '=', '/', '$'), and for ','."""
    sp = data.special_tokens(num_nodes)
    symbols = {sp['pipe']: '|', sp['eq']: '=', sp['slash']: '/', sp['dummy']: '$'}
    strings = [str(i) for i in range(num_nodes)] + [symbols[t] for t in range(num_nodes, data.vocab_size(num_nodes))] + [',']
    ids = []
    for s in strings:
        tokens = tokenizer.encode(s, add_special_tokens=False)
        if len(tokens) != 1:
            raise ValueError(f"init_from={init_from!r}: its tokenizer writes {s!r} as {len(tokens)} tokens, not one; "
                             f"every label and symbol must be one token (try a smaller num_nodes)")
        ids.append(tokens[0])
    return ids[:-1], ids[-1]


def check_tokenization(model, tokenizer, cfg):
    """The text TextModel feeds is what the tokenizer makes of the authors' lines (minus the last label, never an input)."""
    _, seq = data.make_splits(cfg['deg'], cfg['path_len'], cfg['num_nodes'], 0, 4, seed=0)
    text, _ = model.text(seq[:, :-1], model.layout(seq[0, :-1].tolist()))
    for line, ours in zip(data.to_text(seq, cfg['deg'], cfg['path_len']), text.tolist()):
        theirs = tokenizer.encode(line, add_special_tokens=False)
        if theirs[:-1] != ours:
            raise ValueError(f"init_from={cfg['init_from']!r}: its tokenizer splits {line!r} into {len(theirs)} tokens, "
                             f"not one per label, symbol and comma")


class TextModel(nn.Module):
    """A pretrained model (model.py's GPT holding GPT-2, or an HFModel) seen through the task's
    tokens: the interface of model.py's GPT over the task's vocabulary, so every objective, the
    evaluation and generation run on it unchanged. Inside, a task sequence becomes the model's
    text tokens with the commas of the authors' format (to_text), and each task position reads
    the model's state at the text position that predicts the next task token."""

    def __init__(self, base, ids, comma, num_nodes):
        super().__init__()
        self.base = base
        self.register_buffer('ids', torch.tensor(ids), persistent=False)  # task token -> text token
        self.comma, self.num_nodes, self.eq = comma, num_nodes, data.special_tokens(num_nodes)['eq']
        self.config = dataclasses.replace(base.config, vocab_size=len(ids))  # objectives read n_embd, vocab_size
        self.heads = nn.ModuleDict()

    def layout(self, tokens):
        """Whether the text has a comma after each task token (a list of ints): between the two
        labels of an edge and between s and g, and after every token past '=' (p1,p2,...,)."""
        eq = tokens.index(self.eq) if self.eq in tokens else len(tokens)
        label = [t < self.num_nodes for t in tokens]
        return [j > eq or (j + 1 < eq and label[j] and label[j + 1]) for j in range(len(tokens))]

    def text(self, idx, comma_after):
        """Task tokens (B, T) -> text tokens (B, T + commas), and for each task position the
        text position (T,) whose output predicts the next task token: its comma, or itself."""
        comma = torch.tensor(comma_after, dtype=torch.long, device=idx.device)  # (T,)
        pos = torch.arange(idx.size(1), device=idx.device) + comma.cumsum(0) - comma  # (T,) where each token goes
        text = torch.full((idx.size(0), idx.size(1) + int(comma.sum())), self.comma, dtype=idx.dtype, device=idx.device)
        text[:, pos] = self.ids[idx]
        return text, pos + comma

    def hidden(self, idx, cache=None):
        """As GPT.hidden, at the task's positions. Every row has the layout of the first (one graph size per batch).
        With a cache, the first call must hold the whole prefix up to '=' (as in generation)."""
        if cache is None:
            text, read = self.text(idx, self.layout(idx[0].tolist()))
            return [x[:, read] for x in self.base.hidden(text)]
        seen = cache['tokens']
        tokens = seen + idx[0].tolist()
        comma_after = self.layout(tokens)
        if comma_after[:len(seen)] != self.layout(seen):
            raise ValueError("TextModel: with a cache, feed the prefix up to '=' in one call")
        cache['tokens'] = tokens
        text, read = self.text(idx, comma_after[len(seen):])
        if not seen:
            xs = self.base.hidden(text, cache['base'])
        else:  # a cached step feeds the base model one token at a time: the new label, then its comma
            steps = [self.base.hidden(text[:, k:k + 1], cache['base']) for k in range(text.size(1))]
            xs = [torch.cat(x, dim=1) for x in zip(*steps)]
        return [x[:, read] for x in xs]

    def final_norm(self, x):
        return self.base.final_norm(x)

    def lm_head(self, x):
        """(..., C) -> (..., N+4) logits over the task's tokens: their rows of the pretrained unembedding."""
        return F.linear(x, self.base.lm_head.weight[self.ids])

    def forward(self, idx, targets=None, cache=None):
        logits = self.lm_head(self.final_norm(self.hidden(idx, cache)[-1]))  # (B, T, N+4)
        return logits, None if targets is None else lm_loss(logits, targets)

    def new_block(self):
        return self.base.new_block()

    def new_cache(self):
        return dict(base=self.base.new_cache(), tokens=[])

    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
        return configure_adamw(self, weight_decay, learning_rate, betas, device_type)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, use_cache=True):
        return greedy_generate(self, idx, max_new_tokens, use_cache)
