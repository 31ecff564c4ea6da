"""
Training objectives for the path-star task, side by side: what the model
reads, the loss it learns from, and how it writes a path.

An objective is one record (Objective, below) in OBJECTIVES, its functions in
one section of this file:

    batch(seq, cfg, gen) -> dict   sequences (B, T) -> what one training step needs
    loss(model, b)       -> scalar the loss of that batch
    decode(model, seq, cfg)        greedy decoding -> (B, L), the target as written
    forced(model, seq, cfg)        each target token predicted given the true ones before it -> (B, L)
    heads(model, cfg, build)       adds the modules the objective needs to model.heads (so they are
                                   saved, optimised and wrapped with the model); build(cfg) makes a model
    probe(model, seq, cfg)         optional: decode and measure in one go -> ((B, L), {name: (B, L)});
                                   evaluate uses it in place of decode, to log what the decoding saw

and the facts other code asks: `reversed` (the path is written g ... s),
`bidirectional` (attention both ways: a GPT, not a Mamba) and `needs_hooks`
(it uses the model's hidden states or adds blocks: model.py's GPT or the
Mamba, not a transformers model). A sequence is prefix (P tokens: edges,
/ s g =) + path (L tokens); gen is a torch.Generator seeded by the step, for
objectives that draw at random (exact resume). Adding an objective is a
section here, a row in OBJECTIVES, a config and a test.

    forward      next-token prediction with teacher forcing (the paper's failure)
    reverse      the same, the path written g ... s
    teacherless  every path input replaced by '$': the path from the prefix alone, one pass (a1_loss_from
                 as below)
    mixed        teacherless loss + ntp_weight x next-token loss (Nagarajan et al. 2025); decodes teacherless
    teacherless_reverse  teacherless and reverse trained together in the same weights; decodes teacherless;
                 a1_loss_from (a step) and a1_wait_acc (the other slots' accuracy) hold the teacherless
                 a1 target out of the loss; meanwhile its slot is asked for nothing, a2, or the next
                 hop back from g not yet learned (a1_stand_in)
    mtp          n_future heads, head k predicts the token k ahead (Gloeckle et al. 2024); decodes with head 0
    top          next-token loss + a token-order ranking head (Zuhri et al. 2025); decodes next-token
    bst          belief-state transformer: forward and backward encoders, next and previous token (Hu et al. 2025)
    mlm_u        bidirectional, path tokens masked at a rate r ~ U(0,1) (Kitouni et al. 2024)

Run one with `python train.py config/star_d2_l5_mtp.py` (or any config with
--objective=NAME).
"""
import functools
from typing import Callable, NamedTuple

import torch
import torch.nn as nn
from torch.nn import functional as F

import data
from model import greedy_generate, lm_loss


def shape(cfg):
    """(P, L): prefix and path lengths in tokens."""
    return data.prefix_len(cfg['deg'], cfg['path_len']), cfg['path_len']


def dummy(cfg):
    return data.special_tokens(cfg['num_nodes'])['dummy']


def next_token_pair(seq, cfg):
    """Teacher forcing: x = seq[:-1], y = seq[1:], y = -1 on the prefix (no loss there; '=' predicts s)."""
    P, _ = shape(cfg)
    x, y = seq[:, :-1], seq[:, 1:].clone()
    y[:, :P - 1] = -1
    return x, y


def with_dummy_path(x, cfg):
    """x with every path-side input after '=' replaced by '$'."""
    P, _ = shape(cfg)
    x = x.clone()
    x[:, P:] = dummy(cfg)
    return x


def written(seq, cfg):
    """The sequences with the path in the order the objective writes it (g ... s for reverse)."""
    return reversed_path(seq, cfg) if get(cfg).reversed else seq


def reversed_path(seq, cfg):
    """The sequences with the path written g ... s."""
    P, _ = shape(cfg)
    return torch.cat([seq[:, :P], seq[:, P:].flip(1)], dim=1)


def target(seq, cfg):
    """(B, L): the path in the order the objective writes it."""
    P, _ = shape(cfg)
    return written(seq, cfg)[:, P:]


def block_size(cfg):
    """Positions the model must hold: the whole sequence for the bidirectional objective, one fewer otherwise."""
    P, L = shape(cfg)
    return P + L if get(cfg).bidirectional else P + L - 1

# -----------------------------------------------------------------------------
# forward (teacher forcing) and reverse: next-token prediction; mtp and top decode this way too


def ntp_batch(seq, cfg, gen):
    x, y = next_token_pair(written(seq, cfg), cfg)
    return dict(x=x, y=y)


def ntp_loss(model, b):
    return model(b['x'], b['y'])[1]


def ntp_decode(model, seq, cfg):
    P, L = shape(cfg)
    return model.generate(seq[:, :P], L)[:, P:]


def ntp_forced(model, seq, cfg):
    P, _ = shape(cfg)
    return model(ntp_batch(seq, cfg, None)['x'])[0][:, P - 1:].argmax(-1)

# -----------------------------------------------------------------------------
# teacherless: no true path token as input; mixed adds the next-token loss


def teacherless_batch(seq, cfg, gen):
    x, y = next_token_pair(seq, cfg)
    return dict(x=with_dummy_path(x, cfg), y=y)


def teacherless_decode(model, seq, cfg):  # one parallel pass; also its teacher-forced accuracy (no true input to force)
    P, _ = shape(cfg)
    return model(teacherless_batch(seq, cfg, None)['x'])[0][:, P - 1:].argmax(-1)


def mixed_batch(seq, cfg, gen):
    x, y = next_token_pair(seq, cfg)
    return dict(x=torch.cat([with_dummy_path(x, cfg), x]), y=y, weight=cfg['ntp_weight'])  # one pass over both


def mixed_loss(model, b):
    logits, _ = model(b['x'])
    teacherless, forced = logits.chunk(2)
    return lm_loss(teacherless, b['y']) + b['weight'] * lm_loss(forced, b['y'])

# -----------------------------------------------------------------------------
# teacherless_reverse: teacherless and reverse trained together in the same
# weights. Each batch goes in twice: once teacherless, with the '=' also
# replaced by '$' so the model knows which task it is on, and once reverse with
# teacher forcing; one mean loss over both. The reverse half forms the parent
# lookup (the node before g is g's parent) within a few hundred steps; the
# teacherless slots then reuse it, one hop after another from g back to a1.
# Decoding is teacherless: one parallel pass, s to g.


def teacherless_marked(x, cfg):
    """x with '$' from the '=' on: the teacherless half's input."""
    P, _ = shape(cfg)
    x = x.clone()
    x[:, P - 1:] = dummy(cfg)
    return x


def teacherless_reverse_batch(seq, cfg, gen):
    x, y = next_token_pair(seq, cfg)
    x_rev, y_rev = next_token_pair(reversed_path(seq, cfg), cfg)
    return dict(x=torch.cat([teacherless_marked(x, cfg), x_rev]), y=torch.cat([y, y_rev]))  # one pass over both


def hops_learned_to(cfg, evals):
    """The path index j >= 2 such that, at an evaluation so far (train.py's records), the teacherless
    slots j .. l-1 were all right on >= a1_wait_acc of the train graphs: 2 once a2, a3, ..., g are
    learned (the hops back from g have formed), path_len (no slot) before any."""
    L = best = cfg['path_len']
    for e in evals:
        j = L
        while j > 2 and e['train_forced_acc'][j - 1] >= cfg['a1_wait_acc']:
            j -= 1
        best = min(best, j)
    return best


def a1_held(cfg, it, evals):
    """Whether the teacherless a1 target is held out at step `it`: before step a1_loss_from, and,
    with a1_wait_acc, until the hops back from g have formed, whenever that is in this seed."""
    return it < cfg['a1_loss_from'] or (cfg['a1_wait_acc'] > 0 and hops_learned_to(cfg, evals) > 2)


def hold_a1(b, cfg, it, evals, share=0.5):
    """While a1_held, the teacherless rows' a1 slot (the first `share` of the batch: the pair's
    first half, or all of teacherless alone) is not asked for a1, so it cannot settle on 'a child
    of s' (right for 1 graph in 2), the guess that otherwise forms before the chain back from g and
    can hold the slot for good. It is asked for nothing (a1_stand_in='none'), for a2 ('a2': the
    chain one hop short, run in the slot that will need it), or for the next hop the other slots
    have not yet learned ('frontier': a3, then a2 once a3 is learned, ...)."""
    if not a1_held(cfg, it, evals):
        return b
    P, L = shape(cfg)
    y = b['y'].clone()
    rows = int(y.size(0) * share)
    if cfg['a1_stand_in'] == 'none':
        y[:rows, P] = -1  # position P predicts a1
    else:
        k = 2 if cfg['a1_stand_in'] == 'a2' else min(hops_learned_to(cfg, evals) - 1, L - 2)
        y[:rows, P] = y[:rows, P - 1 + k]  # position P-1+k predicts path node k
    return dict(b, y=y)


def teacherless_reverse_decode(model, seq, cfg):  # one parallel pass, the teacherless half's input
    P, _ = shape(cfg)
    x, _ = next_token_pair(seq, cfg)
    return model(teacherless_marked(x, cfg))[0][:, P - 1:].argmax(-1)

# -----------------------------------------------------------------------------
# mtp: multi-token prediction. The trunk is the model's first n_layer-1 blocks;
# head 0 is its last block (so decoding is plain next-token decoding) and heads
# 1..n_future-1 are one new block each, on the same trunk, sharing the final
# norm and the unembedding. Head k at position t predicts token t+1+k.


def mtp_heads(model, cfg, build):
    model.heads['future'] = nn.ModuleList([model.new_block() for _ in range(cfg['n_future'] - 1)])


def mtp_targets(y, k):
    """Head k's targets (B, T): the next-token targets y shifted k to the left, -1 past the end."""
    return F.pad(y[:, k:], (0, k), value=-1)


def mtp_logits(model, x):
    """(B, T, vocab) logits of every head, head 0 first."""
    xs = model.hidden(x)
    streams = [xs[-1]] + [block(xs[-2]) for block in model.heads['future']]  # (B, T, C) each
    return [model.lm_head(model.final_norm(h)) for h in streams]


def mtp_loss(model, b):  # the plain sum of the heads' mean cross-entropies
    return sum(lm_loss(logits, mtp_targets(b['y'], k)) for k, logits in enumerate(mtp_logits(model, b['x'])))

# -----------------------------------------------------------------------------
# top: token-order prediction. A second, untied unembedding on the final norm
# ranks every vocabulary token by how soon it next occurs (within top_window
# tokens); ListNet loss against softmax of the scores window - distance.


def top_heads(model, cfg, build):
    model.heads['top'] = nn.Linear(model.config.n_embd, model.config.vocab_size, bias=False)
    nn.init.normal_(model.heads['top'].weight, mean=0.0, std=0.02)


def top_scores(y, vocab_size, window):
    """y (B, T) next-token labels (-1: none) -> (B, T, vocab) scores: window - d where token v
    next occurs d >= 0 steps from t (y[t] itself: window), -inf where not within the window."""
    B, T = y.shape
    scores = torch.full((B, T, vocab_size), float('-inf'), device=y.device)
    for d in reversed(range(min(window, T))):  # nearest occurrence written last, so it wins
        ahead = y[:, d:]  # (B, T-d): the label d steps ahead of each position
        seen = ahead >= 0
        b, t = seen.nonzero(as_tuple=True)
        scores[b, t, ahead[b, t]] = float(window - d)
    return scores


def top_loss(model, b):
    h = model.final_norm(model.hidden(b['x'])[-1])  # (B, T, C)
    ntp = lm_loss(model.lm_head(h), b['y'])
    on_path = b['y'] >= 0  # target positions only
    window = b['window'] or b['y'].size(1)
    scores = top_scores(b['y'], model.config.vocab_size, window)[on_path]  # (n, vocab)
    logits = model.heads['top'](h[on_path]).float()  # (n, vocab)
    listnet = -(F.softmax(scores, -1) * F.log_softmax(logits, -1)).sum(-1).mean()
    return ntp + listnet


def top_batch(seq, cfg, gen):
    return dict(ntp_batch(seq, cfg, gen), window=cfg['top_window'])

# -----------------------------------------------------------------------------
# bst: belief-state transformer. The model is the forward encoder; heads['backward']
# is a second model of the same kind that reads the path backwards from an end
# marker ('$'), heads['bst'] a residual MLP on [forward state, backward state]
# whose two halves, through the shared unembedding, predict the token after the
# prefix and the token before the suffix. Every pair (i, j) over the path with
# j - i >= 2 is trained: L(L+1)/2 per graph. Decoding: the backward state of the
# empty suffix (the end marker alone) and the forward encoder, greedily.


def bst_heads(model, cfg, build):
    _, L = shape(cfg)
    model.heads['backward'] = build(cfg, block_size=L, causal=True)  # the same kind of model, its own weights
    C = model.config.n_embd
    model.heads['bst'] = nn.ModuleDict(dict(mlp=nn.Sequential(nn.Linear(2 * C, 4 * C), nn.GELU(), nn.Linear(4 * C, 2 * C)),
                                            norm=nn.LayerNorm(2 * C)))


def bst_pairs(cfg, device=None):
    """(i, j) for every pair of a forward state at i (it has read 0..i) and a backward state at j
    (it has read j..T, T the end marker) with the '=' at P-1 <= i and i + 2 <= j <= T."""
    P, L = shape(cfg)
    T = P + L
    ij = [(i, j) for i in range(P - 1, T - 1) for j in range(i + 2, T + 1)]
    return torch.tensor(ij, device=device).unbind(1)


def bst_backward_input(seq, cfg):
    """The suffix encoder's input: '$' (the end), then the path from g backwards to a2 (B, L)."""
    P, _ = shape(cfg)
    end = torch.full_like(seq[:, :1], dummy(cfg))
    return torch.cat([end, seq[:, P + 1:].flip(1)], dim=1)


def bst_logits(model, f, b):
    """Forward and backward states (..., C) -> next-token and previous-token logits (..., vocab)."""
    head = model.heads['bst']
    x = torch.cat([model.final_norm(f), model.heads['backward'].final_norm(b)], dim=-1)
    nxt, prev = head['norm'](x + head['mlp'](x)).chunk(2, dim=-1)
    return model.lm_head(nxt), model.lm_head(prev)


def bst_batch(seq, cfg, gen):
    return dict(seq=seq, back=bst_backward_input(seq, cfg), pairs=bst_pairs(cfg, seq.device))


def bst_loss(model, b):
    seq, (i, j) = b['seq'], b['pairs']
    T = seq.size(1)
    f = model.hidden(seq[:, :-1])[-1]  # (B, T-1, C): f[:, i] has read tokens 0..i
    back = model.heads['backward'].hidden(b['back'])[-1]  # (B, L, C): back[:, T-j] has read j..T
    nxt, prev = bst_logits(model, f[:, i], back[:, T - j])  # (B, pairs, vocab) each
    return (lm_loss(nxt, seq[:, i + 1]) + lm_loss(prev, seq[:, j - 1])) / 2


def bst_empty_suffix(model, n, cfg, device):
    end = torch.full((n, 1), dummy(cfg), dtype=torch.long, device=device)
    return model.heads['backward'].hidden(end)[-1][:, 0]  # (n, C): has read only the end marker


def bst_decode(model, seq, cfg):
    P, L = shape(cfg)
    empty = bst_empty_suffix(model, seq.size(0), cfg, seq.device)
    out = greedy_generate(model, seq[:, :P], L, head=lambda f: bst_logits(model, f, empty)[0])
    return out[:, P:]


def bst_forced(model, seq, cfg):
    P, _ = shape(cfg)
    f = model.hidden(seq[:, :-1])[-1][:, P - 1:]  # (B, L, C)
    empty = bst_empty_suffix(model, seq.size(0), cfg, seq.device)
    return bst_logits(model, f, empty[:, None].expand_as(f))[0].argmax(-1)

# -----------------------------------------------------------------------------
# mlm_u: any-order masked training. Bidirectional attention over the whole
# sequence (no shift: position t predicts its own token); each graph draws
# r ~ U(0, 1) and masks each path token with probability r ('$' is the mask);
# the loss is on the masked tokens. Decoding fills the masks one per pass:
# left to right, or the most confident position first (decode='confidence').
# Teacherless training is its corner r = 1 with causal attention.


def mlm_batch(seq, cfg, gen):
    P, L = shape(cfg)
    rate = torch.rand(seq.size(0), 1, generator=gen)  # (B, 1)
    masked = (torch.rand(seq.size(0), L, generator=gen) < rate).to(seq.device)  # (B, L)
    x, y = seq.clone(), torch.full_like(seq, -1)
    x[:, P:][masked] = dummy(cfg)
    y[:, P:][masked] = seq[:, P:][masked]
    return dict(x=x, y=y)


def mlm_fill(model, seq, cfg):
    """Greedy decoding, one mask filled per pass -> the path (B, L) and the position filled at each pass (B, L)."""
    P, L = shape(cfg)
    x = with_dummy_path(seq, cfg)
    masked = torch.ones(seq.size(0), L, dtype=torch.bool, device=seq.device)  # (B, L)
    rows = torch.arange(seq.size(0), device=seq.device)
    order = []
    for k in range(L):
        probs = F.softmax(model(x)[0][:, P:].float(), -1)  # (B, L, vocab)
        conf, pred = probs.max(-1)  # (B, L) each
        if cfg['decode'] == 'confidence':
            pos = conf.masked_fill(~masked, -1.0).argmax(-1)  # (B,)
        else:
            pos = torch.full_like(rows, k)
        x[rows, P + pos] = pred[rows, pos]
        masked[rows, pos] = False
        order.append(pos)
    return x[:, P:], torch.stack(order, 1)


def mlm_decode(model, seq, cfg):
    return mlm_fill(model, seq, cfg)[0]


def mlm_forced(model, seq, cfg):
    """Token k with the true tokens before it visible and those from k on masked: the child lookup."""
    return mlm_predict_masked(model, seq, cfg, lambda k: slice(k, None))


def mlm_forced_right(model, seq, cfg):
    """Token k with the true tokens after it visible and those up to k masked: the parent lookup,
    which a goal-first decoder uses and `forced` cannot see."""
    return mlm_predict_masked(model, seq, cfg, lambda k: slice(0, k + 1))


def mlm_predict_masked(model, seq, cfg, masked):
    """(B, L): the prediction at path position k with path positions masked(k) set to '$', for each k."""
    P, L = shape(cfg)
    preds = []
    for k in range(L):
        x = seq.clone()
        x[:, P:][:, masked(k)] = dummy(cfg)
        preds.append(model(x)[0][:, P + k].argmax(-1))
    return torch.stack(preds, 1)


def mlm_probe(model, seq, cfg):
    """The decoded path, and forced_acc_right: accuracy with the right context; fill_order: the path
    position (1..L) filled at decoding pass t (left to right reads 1, 2, ..., L; a goal-first decoder
    fills L early)."""
    path, order = mlm_fill(model, seq, cfg)
    right = mlm_forced_right(model, seq, cfg) == seq[:, shape(cfg)[0]:]
    return path, dict(forced_acc_right=right.float(), fill_order=order.float() + 1)

# -----------------------------------------------------------------------------


def no_heads(model, cfg, build):
    pass


def every_step(b, cfg, it, evals):
    return b


class Objective(NamedTuple):
    batch: Callable
    loss: Callable
    decode: Callable
    forced: Callable
    heads: Callable = no_heads
    schedule: Callable = every_step  # (batch, cfg, step, evaluations so far) -> the batch whose targets count then
    probe: Callable = None       # decode and measure in one go (evaluate logs the measurements), or None
    reversed: bool = False       # the path is written g ... s
    bidirectional: bool = False  # attention both ways: a GPT only (a Mamba's recurrence reads left to right)
    needs_hooks: bool = False    # uses model.hidden / new_block / final_norm: model.py's GPT or the Mamba


OBJECTIVES = dict(
    forward=Objective(ntp_batch, ntp_loss, ntp_decode, ntp_forced),
    reverse=Objective(ntp_batch, ntp_loss, ntp_decode, ntp_forced, reversed=True),
    teacherless=Objective(teacherless_batch, ntp_loss, teacherless_decode, teacherless_decode,
                          schedule=functools.partial(hold_a1, share=1.0)),
    mixed=Objective(mixed_batch, mixed_loss, teacherless_decode, teacherless_decode),
    teacherless_reverse=Objective(teacherless_reverse_batch, ntp_loss, teacherless_reverse_decode, teacherless_reverse_decode,
                                  schedule=hold_a1),
    mtp=Objective(ntp_batch, mtp_loss, ntp_decode, ntp_forced, mtp_heads, needs_hooks=True),
    top=Objective(top_batch, top_loss, ntp_decode, ntp_forced, top_heads),
    bst=Objective(bst_batch, bst_loss, bst_decode, bst_forced, bst_heads, needs_hooks=True),
    mlm_u=Objective(mlm_batch, ntp_loss, mlm_decode, mlm_forced, probe=mlm_probe, bidirectional=True),
)


def get(cfg):
    """The Objective record of cfg['objective']."""
    return OBJECTIVES[cfg['objective']]


class Loss(nn.Module):
    """The model and its objective's loss as one module whose forward is the loss:
    DDP and torch.compile wrap this, so every head an objective adds runs inside
    one forward call (DDP syncs gradients of what one forward call touched)."""

    def __init__(self, model, cfg):
        super().__init__()
        self.model, self.loss = model, get(cfg).loss

    def forward(self, batch):
        return self.loss(self.model, batch)


@torch.no_grad()
def evaluate(model, seq, cfg, ctx, batch=1000):
    """Path accuracy (greedy decoding, exact match), arm accuracy (the decoded
    path walks the edges of one arm from s, right arm or wrong, g aside: the
    Clever-Hans cheat has it near 1 with path accuracy near 1/d), and accuracy
    by target position (counted from 1, in the order the model writes the
    target): teacher-forced (`forced_acc`) and under generation (`gen_acc`);
    then what the objective's probe measures, each a mean by position."""
    obj = get(cfg)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    forced, gen, arm, measures = [], [], [], []
    for chunk in seq.split(batch):
        chunk = chunk.to(device)
        truth = target(chunk, cfg)
        with ctx:
            out, measured = obj.probe(model, chunk, cfg) if obj.probe else (obj.decode(model, chunk, cfg), {})
            forced.append(obj.forced(model, chunk, cfg) == truth)  # (b, L)
            measures.append(measured)
        gen.append(out == truth)  # (b, L)
        arm.append(data.follows_an_arm(chunk, out.flip(1) if obj.reversed else out, cfg['deg'], cfg['path_len']))
    model.train(was_training)
    forced, gen = torch.cat(forced).float(), torch.cat(gen)
    rec = dict(path_acc=gen.all(1).float().mean().item(), arm_acc=torch.cat(arm).float().mean().item(),
               forced_acc=forced.mean(0).tolist(), gen_acc=gen.float().mean(0).tolist())
    for name in measures[0]:
        rec[name] = torch.cat([m[name] for m in measures]).float().mean(0).tolist()
    return rec


def lookup_formed(rec, cfg, threshold=0.95):
    """Has the one-edge lookup formed? Teacher-forced accuracy >= threshold at
    every position a lookup gives: written s to g, positions 3..l (the child of
    the node before; position 2 is the decision); written g to s, 2..l (the
    parent of the node before: every position after g). An objective that also
    predicts from the right (forced_acc_right) counts its parent lookup, 1..l-1."""
    views = [rec['forced_acc'][1 if get(cfg).reversed else 2:]]
    if 'forced_acc_right' in rec:
        views.append(rec['forced_acc_right'][:-1])
    return any(min(v) >= threshold for v in views)
