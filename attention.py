"""
Where each path token looks: the attention of every layer and head, from the
query that predicts each path token, summarised by the role of the key rather
than its position (the edge list is shuffled).

$ python attention.py --out_dir=out/star_d2_l5            # writes out_dir/attention.{png,json}
$ python attention.py --out_dir=out/star_d2_l5 --n_graphs=500

Roles, for the query that writes path token k (in the order the objective
writes the path): the answer's edge (the edge joining token k to token k-1, its
two label tokens), the other edges out of token k-1, the goal g and the start s
in the prefix, and the rest. Under the Clever-Hans cheat a lookup head puts its
weight on the answer's edge at the inner positions, and at the decision
(position 2) splits it over s's d out-edges. The weights are recomputed from
each block's own q and k (model.py keeps scaled_dot_product_attention).
attention.png needs matplotlib.
"""
import json
import math
import os
import sys

import torch
from torch.nn import functional as F

import data
import objectives
from configurator import load_config
from runtime import save_atomically, save_text
from train import build_model, load_checkpoint

ROLES = ('answer_edge', 'other_edges', 'goal', 'start', 'rest')
DEFAULTS = dict(out_dir='out', n_graphs=300)  # a trained run's folder; test graphs summarised


def attention_weights(block, x):
    """(B, nh, T, T): the attention probabilities of block on its input x (B, T, C), as its forward computes them."""
    B, T, C = x.size()
    att = block.attn
    q, k, _ = att.c_attn(block.ln_1(x)).split(C, dim=2)
    q, k = (t.view(B, T, att.n_head, C // att.n_head).transpose(1, 2) for t in (q, k))  # (B, nh, T, hs)
    scores = q @ k.transpose(-2, -1) / math.sqrt(C // att.n_head)  # (B, nh, T, T)
    if att.mask is not None:  # edge-local attention: the block's own mask
        scores = scores.masked_fill(~att.mask[:T, :T], float('-inf'))
    elif att.causal:
        scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float('-inf'))
    return F.softmax(scores, dim=-1)


def queries(seq, cfg):
    """The model's input (B, T) and the L positions whose outputs predict the path tokens, as the objective runs it:
    the training input of a causal objective (its first copy where a batch holds several), or, attending both
    ways, the first decoding pass (every path token masked, each position predicting its own token)."""
    P, L = objectives.shape(cfg)
    obj = objectives.get(cfg)
    if obj.bidirectional:
        return objectives.with_dummy_path(seq, cfg), torch.arange(P, P + L)
    b = obj.batch(seq, cfg, torch.Generator().manual_seed(0))
    x = b['x'][:len(seq)] if 'x' in b else seq[:, :-1]  # an objective without 'x' reads the sequence, as bst's forward encoder
    return x, torch.arange(P - 1, P + L - 1)


def role_masks(seq, cfg):
    """(B, L, T) bool per role: for path token k (as written), which key positions hold each role."""
    P, L = objectives.shape(cfg)
    T = P + L
    path = objectives.target(seq, cfg)  # (B, L)
    u, v = seq[:, 0:P - 3:3], seq[:, 1:P - 3:3]  # (B, E): the edges' first and second nodes
    prev = torch.cat([torch.full_like(path[:, :1], -1), path[:, :-1]], 1)  # (B, L): token k-1, none for k = 1
    answer = ((u[:, None] == prev[:, :, None]) & (v[:, None] == path[:, :, None])) | \
             ((v[:, None] == prev[:, :, None]) & (u[:, None] == path[:, :, None]))  # (B, L, E): either orientation
    out_of_prev = (u[:, None] == prev[:, :, None]) & ~answer
    def on_tokens(edges):  # (B, L, E) -> (B, L, T): both label tokens of each edge
        m = torch.zeros(*edges.shape[:2], T, dtype=torch.bool)
        m[:, :, 0:P - 3:3] = edges
        m[:, :, 1:P - 3:3] = edges
        return m
    masks = dict(answer_edge=on_tokens(answer), other_edges=on_tokens(out_of_prev),
                 goal=torch.zeros(len(seq), L, T, dtype=torch.bool), start=torch.zeros(len(seq), L, T, dtype=torch.bool))
    masks['goal'][:, :, P - 2] = True
    masks['start'][:, :, P - 3] = True
    masks['rest'] = ~(masks['answer_edge'] | masks['other_edges'] | masks['goal'] | masks['start'])
    return masks


@torch.no_grad()
def summarise(model, seq, cfg):
    """{role: [layer][head][position] mean attention weight}, from the queries that write each path token."""
    x, pos = queries(seq, cfg)
    masks = role_masks(seq, cfg)
    T = x.size(1)
    out = {role: [] for role in ROLES}
    for block, h in zip(model.transformer.h, model.hidden(x)):
        att = attention_weights(block, h)[:, :, pos]  # (B, nh, L, T)
        for role in ROLES:
            m = masks[role][:, None, :, :T].float()  # (B, 1, L, T)
            out[role].append((att * m).sum(-1).mean(0).tolist())  # (nh, L)
    return out


def plot(res, cfg, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    w = res['answer_edge']
    n_layer, L = len(w), len(w[0][0])
    fig, axes = plt.subplots(1, n_layer + 1, figsize=(2.6 * (n_layer + 1), 2.8), squeeze=False)
    for i, ax in enumerate(axes[0][:n_layer]):
        im = ax.imshow(w[i], vmin=0, vmax=1, cmap='viridis', aspect='auto')
        ax.set_title(f"layer {i + 1}: on the answer's edge", fontsize=8)
        ax.set_xticks(range(L), [str(k + 1) for k in range(L)])
        ax.set_xlabel('path position', fontsize=8)
        ax.set_yticks(range(len(w[i])), [str(h + 1) for h in range(len(w[i]))])
        ax.set_ylabel('head', fontsize=8)
    fig.colorbar(im, ax=axes[0][n_layer - 1])
    ax = axes[0][n_layer]  # the decision: position 2, each layer's and head's split
    labels = [f"L{i + 1}H{h + 1}" for i in range(n_layer) for h in range(len(w[i]))]
    ans = [res['answer_edge'][i][h][1] for i in range(n_layer) for h in range(len(w[i]))]
    other = [res['other_edges'][i][h][1] for i in range(n_layer) for h in range(len(w[i]))]
    ax.bar(range(len(ans)), ans, label="answer's edge")
    ax.bar(range(len(ans)), other, bottom=ans, label="other edges out of s")
    ax.set_xticks(range(len(ans)), labels, rotation=90, fontsize=6)
    ax.set_ylim(0, 1)
    ax.set_title('position 2 (the decision)', fontsize=8)
    ax.legend(fontsize=6)
    fig.suptitle(f"G({cfg['deg']},{cfg['path_len']}), {cfg['objective']}: attention from the query writing each path token", fontsize=9)
    fig.tight_layout()
    save_atomically(path, lambda f: fig.savefig(f, dpi=110, format='png'))


def main(argv):
    opts = load_config(argv, DEFAULTS, {})
    ckpt = load_checkpoint(os.path.join(opts['out_dir'], 'ckpt.pt'))
    cfg = ckpt['config']
    if cfg['model_type'] != 'gpt':
        raise ValueError(f"{opts['out_dir']} holds a {cfg['model_type']}, which has no attention to show; attention.py reads GPTs")
    model = build_model(cfg)
    if not hasattr(model, 'transformer'):
        raise ValueError(f"{opts['out_dir']} holds a {cfg['init_from']} model run through transformers; attention.py reads model.py's GPT")
    model.load_state_dict(ckpt['model'])
    model.eval()
    _, seq = data.make_splits(cfg['deg'], cfg['path_len'], cfg['num_nodes'], 0, cfg['n_test'], cfg['seed'])
    res = summarise(model, seq[:opts['n_graphs']], cfg)
    save_text(os.path.join(opts['out_dir'], 'attention.json'), json.dumps(res))
    L = cfg['path_len']
    inner = lambda i, h: sum(res['answer_edge'][i][h][2:L - 1]) / max(1, L - 3)  # positions 3..l-1: looked up
    i, h = max(((i, h) for i in range(len(res['answer_edge'])) for h in range(len(res['answer_edge'][i]))), key=lambda ih: inner(*ih))
    print(f"strongest lookup head: layer {i + 1}, head {h + 1}: weight on the answer's edge "
          + ' '.join(f'{a:.2f}' for a in res['answer_edge'][i][h]) + " by path position")
    print(f"wrote {os.path.join(opts['out_dir'], 'attention.json')}")
    try:
        plot(res, cfg, os.path.join(opts['out_dir'], 'attention.png'))
        print(f"wrote {os.path.join(opts['out_dir'], 'attention.png')}")
    except ImportError:
        print("attention.png not drawn: it needs matplotlib (pip install -r requirements-plot.txt)")
    return res


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except ValueError as e:
        sys.exit(f"error: {e}")
