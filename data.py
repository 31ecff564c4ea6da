"""
Path-star graphs G(deg, path_len) over num_nodes labels, as token tensors.

A start node s has `deg` arms, each a simple path of path_len-1 further nodes.
The task: given the edge list (in random order), s and the goal leaf g, output
the path s, a1, ..., g. The text format is the authors' (read_text, to_text); tokens below.

Generation is vectorised numpy, seeded and deterministic; the test graphs are
drawn first and any train graph equal to a test graph (same edge set) is
dropped and redrawn, so the splits are disjoint.

objectives.py turns sequences into each objective's inputs and targets.

Write a dataset in the authors' text format (readable by their code):
$ python data.py config/star_d2_l5.py --text_dir=data/d2_l5
"""
import re
import numpy as np
import torch

# -----------------------------------------------------------------------------
# graphs: (n, num_graph_nodes) label arrays


def num_graph_nodes(deg, path_len):
    return deg * (path_len - 1) + 1


def check_graph(deg, path_len, num_nodes):
    """One-line ValueError for a graph that cannot exist."""
    if deg < 2:
        raise ValueError(f"deg={deg}: a path-star graph needs deg >= 2")
    if path_len < 2:
        raise ValueError(f"path_len={path_len}: a path needs path_len >= 2 nodes")
    need = num_graph_nodes(deg, path_len)
    if num_nodes < need:
        raise ValueError(f"num_nodes={num_nodes} is too small: G({deg},{path_len}) has {need} nodes, so num_nodes >= {need}")


def sample_graphs(rng, n, deg, path_len, num_nodes):
    """Draw n graphs. Returns (arms, edge_order, goal_arm):
    arms (n, deg, path_len) int64: arms[:, a] = s, a1, ..., leaf of arm a
    edge_order (n, deg*(path_len-1)): a random permutation of the edges
    goal_arm (n,): which arm leads to the goal."""
    check_graph(deg, path_len, num_nodes)
    k = num_graph_nodes(deg, path_len)
    # k distinct labels per graph: the first k of a random permutation of 0..N-1
    labels = rng.permuted(np.tile(np.arange(num_nodes), (n, 1)), axis=1)[:, :k]  # (n, k)
    arms = np.empty((n, deg, path_len), dtype=np.int64)
    arms[:, :, 0] = labels[:, :1]
    arms[:, :, 1:] = labels[:, 1:].reshape(n, deg, path_len - 1)
    edge_order = np.argsort(rng.random((n, deg * (path_len - 1))), axis=1)
    goal_arm = rng.integers(0, deg, size=n)
    return arms, edge_order, goal_arm


# -----------------------------------------------------------------------------
# tokens: label i -> i; '|' -> N, '=' -> N+1, '/' -> N+2, '$' -> N+3


def special_tokens(num_nodes):
    return dict(pipe=num_nodes, eq=num_nodes + 1, slash=num_nodes + 2, dummy=num_nodes + 3)


def vocab_size(num_nodes):
    return num_nodes + 4


def edge_list_len(deg, path_len):
    return 3 * deg * (path_len - 1) - 1  # u v | ... | u v


def prefix_len(deg, path_len):
    return edge_list_len(deg, path_len) + 4  # the edge list, then / s g =


def encode(arms, edge_order, goal_arm, num_nodes):
    """Graphs -> token sequences (n, prefix_len + path_len): edges u v | ... / s g = path."""
    n, deg, path_len = arms.shape
    E = deg * (path_len - 1)
    sp = special_tokens(num_nodes)
    src = arms[:, :, :-1].reshape(n, E)  # edge e goes src[e] -> dst[e]
    dst = arms[:, :, 1:].reshape(n, E)
    src = np.take_along_axis(src, edge_order, axis=1)
    dst = np.take_along_axis(dst, edge_order, axis=1)
    edges = np.stack([src, dst, np.full_like(src, sp['pipe'])], axis=2).reshape(n, 3 * E)[:, :-1]
    path = arms[np.arange(n), goal_arm]  # (n, path_len)
    query = np.stack([np.full(n, sp['slash']), path[:, 0], path[:, -1], np.full(n, sp['eq'])], axis=1)
    return np.concatenate([edges, query, path], axis=1)


def graph_keys(seq, deg, path_len):
    """One hashable key per graph of token sequences (n, T) numpy: its edge set, independent
    of edge order and goal (the edges' codes u * 2^32 + v, sorted, as bytes)."""
    E = deg * (path_len - 1)
    codes = np.sort(seq[:, 0:3 * E:3] * (1 << 32) + seq[:, 1:3 * E:3], axis=1)  # (n, E)
    return [row.tobytes() for row in codes]


def draw_graphs(rng, n, deg, path_len, num_nodes, exclude=frozenset()):
    """n graphs as token sequences (n, T) int64, none of them a graph whose key is in `exclude` (redrawn)."""
    parts, have = [], 0
    for _ in range(100):  # collisions are rare unless the graph space is tiny
        if have >= n:
            break
        seq = encode(*sample_graphs(rng, n - have, deg, path_len, num_nodes), num_nodes)
        keep = np.array([k not in exclude for k in graph_keys(seq, deg, path_len)], dtype=bool)
        parts.append(seq[keep])
        have += int(keep.sum())
    if have < n:
        raise ValueError(f"could not draw {n} train graphs disjoint from the test split: G({deg},{path_len}) over {num_nodes} "
                         f"labels has too few distinct graphs")
    if not parts:
        return torch.zeros((0, prefix_len(deg, path_len) + path_len), dtype=torch.int64)
    return torch.from_numpy(np.concatenate(parts))


def make_splits(deg, path_len, num_nodes, n_train, n_test, seed):
    """Token sequences for disjoint train and test splits, as int64 tensors."""
    rng = np.random.default_rng(seed)
    test = encode(*sample_graphs(rng, n_test, deg, path_len, num_nodes), num_nodes)
    train = draw_graphs(rng, n_train, deg, path_len, num_nodes, exclude=set(graph_keys(test, deg, path_len)))
    return train, torch.from_numpy(test)


def online_batch(seed, it, rank, n, deg, path_len, num_nodes, exclude):
    """n fresh graphs for optimizer step `it` of process `rank` (config online=True), never a test
    graph (exclude: the test split's graph_keys); a function of (seed, it, rank), so resume is exact."""
    return draw_graphs(np.random.default_rng((seed, it, rank)), n, deg, path_len, num_nodes, exclude)


def follows_an_arm(seq, path, deg, path_len):
    """(B,) bool: path (B, path_len), in s-to-g order, walks one arm: it starts at s
    and each node up to the last but one is the child of the node before it, right
    arm or wrong. The last node is not checked: every objective copies g there
    from the prefix, so the Clever-Hans cheat writes s, a wrong arm's inner nodes, g."""
    E, P = deg * (path_len - 1), prefix_len(deg, path_len)
    src, dst = seq[:, 0:3 * E:3], seq[:, 1:3 * E:3]  # (B, E): edge e goes src -> dst
    walk = path[:, :-1]  # (B, path_len-1): s, a1, ..., the goal's parent
    hop = (walk[:, :-1, None] == src[:, None]) & (walk[:, 1:, None] == dst[:, None])  # (B, path_len-2, E)
    return (walk[:, 0] == seq[:, P - 3]) & hop.any(-1).all(-1)

# -----------------------------------------------------------------------------
# the authors' text format: 32,3|16,12|...|47,28/32,12=32,34,6,16,12


# labels: ASCII digits, at most 9 (int() refuses 4300+ digits, and no graph has a billion nodes)
LINE = re.compile(r'(\d{1,9},\d{1,9}(?:\|\d{1,9},\d{1,9})*)/(\d{1,9}),(\d{1,9})=(\d{1,9}(?:,\d{1,9})*)', re.ASCII)


def to_text(seq, deg, path_len):
    """Token sequences (n, T) -> lines in the authors' format."""
    E = deg * (path_len - 1)
    P = prefix_len(deg, path_len)
    lines = []
    for row in seq.tolist():
        edges = '|'.join(f'{row[3 * e]},{row[3 * e + 1]}' for e in range(E))
        lines.append(f"{edges}/{row[P - 3]},{row[P - 2]}={','.join(map(str, row[P:]))}")
    return lines


def from_text(lines, deg, path_len, num_nodes, where='<text>'):
    """Lines in the authors' format -> token sequences (n, T). A line that is
    malformed or not a G(deg, path_len) over num_nodes labels raises a
    one-line ValueError naming its line number."""
    E = deg * (path_len - 1)
    sp = special_tokens(num_nodes)
    rows = []
    for i, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        m = LINE.fullmatch(line)
        bad = lambda why: ValueError(f"{where}:{i}: {why}: {line[:80]!r}")
        if not m:
            raise bad("not 'u,v|u,v|.../s,g=s,...,g'")
        edges = [tuple(map(int, e.split(','))) for e in m.group(1).split('|')]
        s, g = int(m.group(2)), int(m.group(3))
        path = [int(t) for t in m.group(4).split(',')]
        if len(edges) != E or len(path) != path_len:
            raise bad(f"expected {E} edges and a path of {path_len} nodes for G({deg},{path_len}), got {len(edges)} and {len(path)}")
        labels = [t for e in edges for t in e] + [s, g] + path
        if max(labels) >= num_nodes:
            raise bad(f"label {max(labels)} out of range for num_nodes={num_nodes}")
        child = dict(edges)  # walk each arm from s: a fork, a cycle or a stray edge breaks the walk
        arms = [[s, v] for u, v in edges if u == s]
        for arm in arms:
            while arm[-1] in child and len(arm) <= path_len:
                arm.append(child[arm[-1]])
        if len(arms) != deg or any(len(a) != path_len for a in arms) or len({t for a in arms for t in a}) != len(edges) + 1:
            raise bad(f"the edges are not a path-star G({deg},{path_len}) around s={s}")
        if path not in arms or path[-1] != g:
            raise bad("the path does not follow the edges from s to g")
        toks = [t for u, v in edges for t in (u, v, sp['pipe'])][:-1]
        rows.append(toks + [sp['slash'], s, g, sp['eq']] + path)
    if not rows:
        raise ValueError(f"{where}: no samples")
    return torch.tensor(rows, dtype=torch.int64)


def read_text(path, deg, path_len, num_nodes):
    try:
        with open(path) as f:
            return from_text(f, deg, path_len, num_nodes, where=path)
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read {path}: {e}")


if __name__ == '__main__':
    import os
    import sys
    import time
    from configurator import load_config
    from runtime import save_text
    keys = dict(deg=2, path_len=5, num_nodes=50, n_train=200000, n_test=20000, seed=1337, text_dir='')  # train.py's defaults
    try:  # a train.py config file sets keys this tool does not use: only the task's are read from it
        cfg = load_config(sys.argv[1:], keys, {}, ignore_unknown_in_files=True)
    except ValueError as e:
        sys.exit(f"error: {e}")
    if not cfg['text_dir']:
        sys.exit("usage: python data.py [config.py] [--key=value ...] --text_dir=DIR")
    t0 = time.time()
    train, test = make_splits(cfg['deg'], cfg['path_len'], cfg['num_nodes'], cfg['n_train'], cfg['n_test'], cfg['seed'])
    print(f"generated {len(train)} train + {len(test)} test graphs in {time.time() - t0:.2f}s")
    os.makedirs(cfg['text_dir'], exist_ok=True)
    for name, seq in (('train', train), ('test', test)):
        path = os.path.join(cfg['text_dir'], f'{name}.txt')
        save_text(path, '\n'.join(to_text(seq, cfg['deg'], cfg['path_len'])) + '\n')
        print(f"wrote {path}")
