"""
attention.py: the recomputed weights are the ones the model uses, the roles sit
where they should on a graph read by hand, and bad input is one line.
$ python -m pytest -q test_attention.py
"""
import json
import subprocess
import sys

import pytest
import torch

import attention
import data
import train
from conftest import HERE, tiny_cfg

P, L = data.prefix_len(2, 5), 5


@pytest.mark.parametrize('options', [['--objective=forward'], ['--objective=mlm_u'], ['--objective=forward', '--edge_local=True']])
def test_recomputed_attention_times_values_is_the_blocks_own_output(options):
    cfg = train.load_config(['--n_layer=2', '--n_head=2', '--n_embd=32'] + options)
    torch.manual_seed(0)
    model = train.build_model(cfg).eval()
    seq = data.make_splits(2, 5, 50, 0, 8, seed=0)[1]
    x, _ = attention.queries(seq, cfg)
    with torch.no_grad():
        for block, h in zip(model.transformer.h, model.hidden(x)):
            B, T, C = h.shape
            _, _, v = block.attn.c_attn(block.ln_1(h)).split(C, dim=2)
            v = v.view(B, T, 2, C // 2).transpose(1, 2)  # (B, nh, T, hs)
            y = (attention.attention_weights(block, h) @ v).transpose(1, 2).reshape(B, T, C)
            torch.testing.assert_close(block.attn.c_proj(y), block.attn(block.ln_1(h)))


def test_roles_on_a_graph_read_by_hand():
    seq = data.make_splits(2, 5, 50, 0, 1, seed=3)[1]
    cfg = dict(deg=2, path_len=5, objective='forward')
    edges = [(seq[0, 3 * e].item(), seq[0, 3 * e + 1].item()) for e in range(8)]
    path = seq[0, P:].tolist()
    m = attention.role_masks(seq, cfg)
    for k in range(1, L):
        e = edges.index((path[k - 1], path[k]))  # the edge that leads to token k
        assert m['answer_edge'][0, k].nonzero().flatten().tolist() == [3 * e, 3 * e + 1]
    others = [e for e, (u, v) in enumerate(edges) if u == path[0] and v != path[1]]  # s's other out-edge
    assert m['other_edges'][0, 1].nonzero().flatten().tolist() == [3 * others[0], 3 * others[0] + 1]
    assert not m['answer_edge'][0, 0].any() and not m['other_edges'][0, 2:].any()  # s has no edge in; inner nodes one child
    assert m['goal'][0, :, P - 2].all() and m['start'][0, :, P - 3].all()
    total = sum(m[r].int() for r in attention.ROLES)
    assert (total[0] == 1).all()  # every key position has exactly one role
    rev = attention.role_masks(seq, dict(cfg, objective='reverse'))  # written g ... s: token k's edge joins it to token k-1
    e = edges.index((path[3], path[4]))
    assert rev['answer_edge'][0, 1].nonzero().flatten().tolist() == [3 * e, 3 * e + 1]


def test_a_run_summarised_and_bad_input_is_one_line(tmp_path):
    train.train(tiny_cfg(tmp_path / 'gpt'))
    res = attention.main([f'--out_dir={tmp_path / "gpt"}', '--n_graphs=20'])
    with open(tmp_path / 'gpt' / 'attention.json') as f:
        assert json.load(f) == res
    assert len(res['answer_edge']) == 1 and len(res['answer_edge'][0]) == 2 and len(res['answer_edge'][0][0]) == 5  # layers, heads, positions
    total = [sum(res[r][0][0][k] for r in attention.ROLES) for k in range(5)]
    assert total == pytest.approx([1.0] * 5)  # the roles split all of each query's weight
    train.train(tiny_cfg(tmp_path / 'mamba', '--model_type=mamba', '--d_state=4'))
    r = subprocess.run([sys.executable, 'attention.py', f'--out_dir={tmp_path / "nothing"}'], cwd=HERE, capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.count('\n') == 1 and 'no checkpoint at' in r.stderr, r.stderr  # what the command line prints
    with pytest.raises(ValueError, match='holds a mamba, which has no attention to show') as e:
        attention.main([f'--out_dir={tmp_path / "mamba"}'])
    assert '\n' not in str(e.value)
