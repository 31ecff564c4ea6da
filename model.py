"""
A GPT language model, handwritten, for the path-star task.

Pre-LN Transformer blocks, causal self-attention through
F.scaled_dot_product_attention, learned absolute positions, tied input and
output embeddings. The loss is cross-entropy over the positions whose target is
not -1 (objectives.py marks the path tokens only). Greedy generation uses a
key/value cache.

Hooks for the objectives beyond next-token prediction (objectives.py):
`hidden` returns the residual stream after every block (multi-token heads
branch off before the last one), `final_norm` and `lm_head` turn a stream into
logits, `new_block` makes a block for an extra head, `heads` holds the modules
an objective adds, and `causal=False` makes attention bidirectional (masked
any-order training). `edge_list` > 0 keeps each token of the edge list attending
within its own edge (train.py's edge_local), so no chain of lookups can run
along the list.

pretrained.py loads GPT-2's weights into this GPT.
mamba.py offers a Mamba model with the same interface (forward, hidden,
new_block, heads, generate, configure_optimizers), so every causal objective,
train.py and sample.py work with either.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.nn import functional as F


@dataclass
class GPTConfig:
    block_size: int = 32   # longest input sequence, tokens
    vocab_size: int = 54   # num_nodes + 4 for the path-star task
    n_layer: int = 3
    n_head: int = 3
    n_embd: int = 96
    dropout: float = 0.0
    bias: bool = False     # biases in Linear layers and LayerNorms
    causal: bool = True    # False: every position attends to every other (the mlm_u objective)
    edge_list: int = 0     # > 0: the first edge_list tokens are edges 'u v |'; each attends only within its own edge
    gelu: str = 'none'     # nn.GELU's approximation: 'none', or 'tanh' (GPT-2's pretrained weights, pretrained.py)


class CausalSelfAttention(nn.Module):

    def __init__(self, config):
        super().__init__()
        assert config.n_embd % config.n_head == 0, "n_embd must be a multiple of n_head"
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.resid_dropout = nn.Dropout(config.dropout)
        self.n_head = config.n_head
        self.dropout = config.dropout
        self.causal = config.causal
        mask = None
        if config.edge_list:  # causal, and an edge token sees its own edge only: no chaining along the list
            i = torch.arange(config.block_size)
            own_edge = (i[:, None] >= config.edge_list) | (i[None, :] >= i[:, None] // 3 * 3)
            mask = (i[None, :] <= i[:, None]) & own_edge  # (T, T): True where a query may attend
        self.register_buffer('mask', mask, persistent=False)

    def forward(self, x, cache=None):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        causal, past = self.causal, 0
        if cache is not None:  # cache = [k, v] of the earlier positions, or [] at the start
            if cache:
                assert T == 1, "with a non-empty cache, feed one token at a time"
                past = cache[0].size(2)
                k = torch.cat([cache[0], k], dim=2)  # (B, nh, T_past + 1, hs)
                v = torch.cat([cache[1], v], dim=2)
                causal = False  # the one new query may see every cached key
            cache[:] = [k, v]
        mask = None if self.mask is None else self.mask[past:past + T, :past + T]  # (T, T_past + T)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0,
                                           is_causal=causal and mask is None)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.gelu = nn.GELU(approximate=config.gelu)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln_1(x), cache)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),
            wpe=nn.Embedding(config.block_size, config.n_embd),
            drop=nn.Dropout(config.dropout),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=nn.LayerNorm(config.n_embd, bias=config.bias),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.heads = nn.ModuleDict()  # extra heads an objective adds (objectives.py); none for next-token training
        self._init(self)

    def _init(self, module):
        module.apply(self._init_weights)
        for name, p in module.named_parameters():  # GPT-2: scale the residual projections by depth
            if name.endswith('c_proj.weight'):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * self.config.n_layer))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    def hidden(self, idx, cache=None):
        """idx (B, T) tokens -> the residual stream after the embeddings and after
        each block: a list of n_layer + 1 tensors (B, T, C). cache: None, or a
        list (one list per layer) filled and extended in place for generation."""
        B, T = idx.size()
        start = cache[0][0].size(2) if cache and cache[0] else 0  # positions already cached
        if start + T > self.config.block_size:
            raise ValueError(f"sequence of {start + T} tokens is longer than block_size={self.config.block_size}")
        pos = torch.arange(start, start + T, dtype=torch.long, device=idx.device)
        xs = [self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))]  # (B, T, C)
        for i, block in enumerate(self.transformer.h):
            xs.append(block(xs[-1], None if cache is None else cache[i]))
        return xs

    def final_norm(self, x):
        return self.transformer.ln_f(x)

    def forward(self, idx, targets=None, cache=None):
        """idx (B, T) tokens -> logits (B, T, vocab), and the mean loss over the
        positions where targets (B, T) is not -1."""
        logits = self.lm_head(self.final_norm(self.hidden(idx, cache)[-1]))  # (B, T, vocab)
        return logits, None if targets is None else lm_loss(logits, targets)

    def new_block(self):
        """A fresh block like this model's own, initialised as they are (an extra head)."""
        block = Block(self.config)
        self._init(block)
        return block

    def new_cache(self):
        return [[] for _ in self.transformer.h]

    def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
        return configure_adamw(self, weight_decay, learning_rate, betas, device_type)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, use_cache=True):
        """Greedy continuation of idx (B, T) by max_new_tokens tokens."""
        return greedy_generate(self, idx, max_new_tokens, use_cache)


def lm_loss(logits, targets):
    """Mean cross-entropy (in float32) over the positions whose target is not -1."""
    return F.cross_entropy(logits.view(-1, logits.size(-1)).float(), targets.view(-1), ignore_index=-1)


def configure_adamw(model, weight_decay, learning_rate, betas, device_type):
    """AdamW; weight decay on matrices (2-D and up) only, not on biases, norms,
    1-D parameters, or parameters marked _no_weight_decay (Mamba's A_log and D,
    as in mamba-ssm). Fused on CUDA."""
    params = [p for p in model.parameters() if p.requires_grad]
    decay = lambda p: p.dim() >= 2 and not getattr(p, '_no_weight_decay', False)
    groups = [
        dict(params=[p for p in params if decay(p)], weight_decay=weight_decay),
        dict(params=[p for p in params if not decay(p)], weight_decay=0.0),
    ]
    extra = dict(fused=True) if device_type == 'cuda' else dict(foreach=True)
    return torch.optim.AdamW(groups, lr=learning_rate, betas=betas, **extra)


@torch.no_grad()
def greedy_generate(model, idx, max_new_tokens, use_cache=True, head=None):
    """Greedy decoding, shared by GPT and Mamba (model.hidden with a cache,
    model.new_cache). head maps the last residual stream (B, C) to logits;
    by default the model's own final norm and lm_head."""
    head = head or (lambda x: model.lm_head(model.final_norm(x)))
    cache = model.new_cache() if use_cache else None
    out, step_in = idx, idx
    for _ in range(max_new_tokens):
        nxt = head(model.hidden(step_in, cache)[-1][:, -1]).argmax(-1, keepdim=True)  # (B, 1)
        out = torch.cat([out, nxt], dim=1)
        step_in = nxt if use_cache else out
    return out
