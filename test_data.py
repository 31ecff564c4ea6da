"""
The graphs and the authors' text format (data.py): valid, seeded, disjoint splits,
online batches, loud errors, and a fuzzed reader.
$ python -m pytest -q test_data.py
"""
import os
import re

import pytest
import torch
from hypothesis import given, settings, strategies as st

import data
from conftest import AUTHORS, AUTHORS_FILES, stop_then_resume, tiny_cfg, write_text


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


def test_online_batches_are_seeded_by_step_and_never_a_test_graph():
    # G(2,2) over 5 labels has 5 x 6 = 30 distinct graphs: a third of them are test graphs
    _, test = data.make_splits(2, 2, 5, 0, 20, seed=3)
    keys = set(data.graph_keys(test.numpy(), 2, 2))
    assert 8 <= len(keys) <= 20
    batches = [data.online_batch(3, it, rank, 32, 2, 2, 5, keys) for it in range(20) for rank in (0, 1)]
    assert not keys & {k for b in batches for k in data.graph_keys(b.numpy(), 2, 2)}
    unfiltered = data.online_batch(3, 0, 0, 32, 2, 2, 5, frozenset())
    assert keys & set(data.graph_keys(unfiltered.numpy(), 2, 2))  # without the filter, test graphs come up
    assert torch.equal(batches[0], data.online_batch(3, 0, 0, 32, 2, 2, 5, keys))  # the step and rank decide the batch
    assert not torch.equal(batches[0], batches[1]) and not torch.equal(batches[0], batches[2])


def test_online_training_resumes_exactly(tmp_path, monkeypatch):
    stop_then_resume(tiny_cfg(tmp_path, '--online=True', '--max_iters=6', '--eval_interval=3'), tmp_path, monkeypatch)


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
    if not os.path.exists(path) and not os.environ.get('CI'):  # in CI the project's shared/ is always beside the clone
        pytest.skip(f"the authors' file {path} is not here")
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
    write_text(tmp_path / 'train.txt', train_seq, 3, 4)
    assert torch.equal(data.read_text(str(tmp_path / 'train.txt'), 3, 4, 20), train_seq)



FUZZ = settings(max_examples=200, deadline=None, database=None)


def is_path_star(edges, s, g, path, deg, path_len):
    """An independent check, by parent pointers: every node but s has one parent and
    reaches s; the deg leaves are path_len - 1 steps from s; path is s..g, g a leaf."""
    parent = {}
    for u, v in edges:
        if v in parent or v == s:
            return False
        parent[v] = u

    def depth(v):
        for d in range(path_len):
            if v == s:
                return d
            v = parent.get(v)
    leaves = set(parent) - {u for u, _ in edges}
    return (len(leaves) == deg and all(depth(v) is not None for v in parent) and all(depth(v) == path_len - 1 for v in leaves)
            and path[0] == s and path[-1] == g and g in leaves and all(parent.get(b) == a for a, b in zip(path, path[1:])))


STAR_LINES = data.to_text(data.make_splits(2, 3, 10, 30, 0, seed=0)[0], 2, 3)  # G(2,3) over 10 labels


@st.composite
def mutated_star_lines(draw):
    line = draw(st.sampled_from(STAR_LINES))
    for _ in range(draw(st.integers(0, 3))):
        i, c = draw(st.integers(0, len(line))), draw(st.sampled_from('0123456789,|/= x٣'))
        line = draw(st.sampled_from([line[:i] + c + line[i:], line[:i] + line[i + 1:], line[:i] + c + line[i + 1:]]))
    return line


@FUZZ
@given(st.lists(st.one_of(mutated_star_lines(), st.text(max_size=40)), min_size=1, max_size=4))
def test_fuzz_authors_format_reader(lines):
    def parse(line):  # a line that matched the format -> edges, s, g, path
        edges, rest = line.strip().split('/')
        query, path = rest.split('=')
        return ([tuple(map(int, e.split(','))) for e in edges.split('|')], *map(int, query.split(',')), list(map(int, path.split(','))))
    try:
        seq = data.from_text(lines, 2, 3, 10)
    except ValueError as e:
        msg = str(e)
        m = re.match(r'<text>:(\d+): ', msg)
        assert '\n' not in msg and (m or msg == '<text>: no samples'), msg
        if m and ('not a path-star' in msg or 'does not follow' in msg):  # no real path-star is refused
            assert not is_path_star(*parse(lines[int(m.group(1)) - 1]), 2, 3)
    else:
        accepted = [line.strip() for line in lines if line.strip()]
        assert all(is_path_star(*parse(line), 2, 3) for line in accepted)
        numbers = lambda line: list(map(int, re.findall(r'\d+', line)))  # read as written, not altered
        assert [numbers(line) for line in data.to_text(seq, 2, 3)] == [numbers(line) for line in accepted]
