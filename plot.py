"""
Draw the README's figures from the sweep's runs (matplotlib is needed here only).

$ python sweep.py && python plot.py
$ python plot.py objectives     # only the figures of results/objectives.json

results/clever_hans.png  teacher-forced accuracy by target position through
                         training, for teacher forcing, teacherless and
                         reverse on G(2,5) (one row per model, seed 1)
results/path_acc.png     final path accuracy by graph, objective and model,
                         mean over seeds with min-max bars, and the 1/d line
results/objectives.png   the objectives grid (sweep.py --grid=objectives): path
                         and arm accuracy by objective on G(2,5) and G(5,3)
results/objectives_curves.png  teacher-forced accuracy by position through
                         training, one panel per objective and graph (seed 1):
                         was the first decision learned, or guessed?
results/d5_l3_long.png   path accuracy through training on G(5,3), 10,000 steps
                         (sweep.py --grid=d5_l3_long): BST and its controls, every seed
results/teacherless.png  the same for teacherless on G(2,3), 6 layers, batch 128
                         (sweep.py --grid=teacherless), every seed
results/d5_l5_bst.png    teacher-forced accuracy by position through training, BST
                         on G(5,5) (sweep.py --grid=d5_l5_bst), seed 1
results/cure.png         path accuracy through training, teacherless_reverse on G(2,5), every seed (sweep.py --grid=cure)
results/cure_seeds.png   the same pair over more seeds and steps, on a GPU (sweep.py --grid=cure_seeds)
results/cure_frontier.png the frontier hold: the pair and teacherless alone, every seed (sweep.py --grid=cure_frontier)
results/cure_control.png the positive control, teacherless with the hold and a cooldown, every seed (sweep.py --grid=cure_control)
results/literature.png   the literature's cures at their own sizes (sweep.py --grid=literature, on a GPU)
results/depth.png        final path accuracy against n_layer, one line per graph and
                         objective (sweep.py --grid=depth): what depth each lookup costs
"""
import json
import os
import re
import sys
import textwrap

import objectives
from runtime import save_atomically
from sweep import GRIDS, RESULTS_DIR, SWEEP_DIR, cell_name, describe, load_cfg

OBJECTIVES = ('forward', 'teacherless', 'reverse')
TITLES = dict(forward='teacher forcing', teacherless='teacherless', reverse='reverse target')
COLORS = dict(forward='tab:red', teacherless='tab:blue', reverse='tab:green')


def save(fig, path):
    save_atomically(path, lambda f: fig.savefig(f, dpi=110, format='png'))  # never half a PNG


def read_log(run):
    with open(os.path.join(SWEEP_DIR, run, 'log.jsonl')) as f:
        return [json.loads(line) for line in f]


def position_curves(plt, ax, run, deg, first_decision=True):
    """One run on ax: teacher-forced accuracy of each target position through training, path accuracy dashed, 1/d dotted."""
    log = read_log(run)
    iters = [r['iter'] for r in log]
    L = len(log[0]['forced_acc'])
    cmap = plt.get_cmap('viridis')
    for i in range(L):
        ax.plot(iters, [r['forced_acc'][i] for r in log], color=cmap(i / max(1, L - 1)), marker='.',
                label=f"position {i + 1}" + (" (first decision)" if i == 1 and first_decision else ""))
    ax.plot(iters, [r['path_acc'] for r in log], 'k--', lw=2, label='path accuracy (greedy)')
    ax.axhline(1 / deg, color='grey', lw=1, ls=':', label=f"chance 1/d = {1 / deg:g}")
    ax.set_ylim(-0.02, 1.02)


def clever_hans(plt, path):
    runs = {('gpt', 'forward'): 'star_d2_l5_s1', ('gpt', 'teacherless'): 'star_d2_l5_teacherless_s1',
            ('gpt', 'reverse'): 'star_d2_l5_reverse_s1', ('mamba', 'forward'): 'star_d2_l5_mamba_s1',
            ('mamba', 'teacherless'): 'star_d2_l5_mamba_teacherless_s1', ('mamba', 'reverse'): 'star_d2_l5_mamba_reverse_s1'}
    models = [m for m in ('gpt', 'mamba') if any(os.path.exists(os.path.join(SWEEP_DIR, runs[m, o], 'log.jsonl')) for o in OBJECTIVES)]
    fig, axes = plt.subplots(len(models), 3, figsize=(13, 3.6 * len(models)), squeeze=False, sharey=True)
    for row, model in enumerate(models):
        for col, objective in enumerate(OBJECTIVES):
            ax = axes[row][col]
            run = runs[model, objective]
            if not os.path.exists(os.path.join(SWEEP_DIR, run, 'log.jsonl')):
                ax.set_title(f"{model.upper()}, {TITLES[objective]}: not run")
                ax.set_xticks([])
                continue
            position_curves(plt, ax, run, 2, first_decision=not objectives.OBJECTIVES[objective].reversed)
            ax.set_title(f"{model.upper()}, {TITLES[objective]}")
            ax.set_xlabel('optimizer step')
            if col == 0:
                ax.set_ylabel('teacher-forced accuracy')
    axes[0][0].legend(fontsize=8, loc='center right')
    fig.suptitle('G(2,5), N=50: accuracy of each target token given the true tokens before it (test graphs)')
    fig.tight_layout()
    save(fig, path)


def grouped_bars(ax, rows, bar):
    """One group of bars per graph, in table order, each drawn by bar(x, row), with the graph's 1/d line."""
    x, ticks = 0, []
    for graph in dict.fromkeys(r['graph'] for r in rows):
        group = [r for r in rows if r['graph'] == graph]
        start = x
        for r in group:
            bar(x, r)
            x += 1
        ax.hlines(group[0]['chance'], start - 0.5, x - 0.5, colors='black', linestyles=':')
        ticks.append(((start + x - 1) / 2, graph))
        x += 1
    ax.set_xticks([t for t, _ in ticks], [g for _, g in ticks])


def path_acc_bars(plt, path):
    with open(os.path.join(RESULTS_DIR, 'results.json')) as f:
        rows = json.load(f)
    graphs = list(dict.fromkeys(r['graph'] for r in rows))
    fig, ax = plt.subplots(figsize=(max(8, 2.6 * len(graphs)), 4.2))

    def bar(x, r):
        m = r['path_acc']
        ax.bar(x, m['mean'], color=COLORS[r['objective']], hatch='//' if r['model'].startswith('mamba') else None,
               edgecolor='black', yerr=[[m['mean'] - m['min']], [m['max'] - m['mean']]], capsize=3)
        ax.text(x, m['max'] + 0.02, f"n={len(r['seeds'])}\n{r['iters'] / 1000:g}k", ha='center', fontsize=7,
                color=COLORS[r['objective']], fontweight='bold')  # the colour names the objective of a bar at 0
    grouped_bars(ax, rows, bar)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLORS[o]) for o in OBJECTIVES]
    handles += [plt.Rectangle((0, 0), 1, 1, facecolor='white', edgecolor='black'),
                plt.Rectangle((0, 0), 1, 1, facecolor='white', edgecolor='black', hatch='//'),
                plt.Line2D([0], [0], color='black', ls=':')]
    ax.legend(handles, [TITLES[o] for o in OBJECTIVES] + ['GPT', 'Mamba', 'chance 1/d'], fontsize=8, ncol=3, loc='upper center')
    ax.set_ylabel('path accuracy (exact match, test)')
    ax.set_ylim(0, 1.3)  # room for the legend above the bars
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title('Final path accuracy, mean over seeds (bars: min-max; n: seeds; k: thousand steps)')
    fig.tight_layout()
    save(fig, path)


def objective_bars(plt, path, table='objectives', title='Objectives side by side: same model and steps; bars: path accuracy (min-max over seeds)'):
    with open(os.path.join(RESULTS_DIR, f'{table}.json')) as f:
        rows = json.load(f)
    names = list(dict.fromkeys(r['objective'] for r in rows))
    cmap = plt.get_cmap('tab10')
    fig, ax = plt.subplots(figsize=(max(8, 0.75 * len(rows) + 2), 4.4))

    def bar(x, r):
        m = r['path_acc']
        ax.bar(x, m['mean'], color=cmap(names.index(r['objective']) % 10), edgecolor='black',
               yerr=[[m['mean'] - m['min']], [m['max'] - m['mean']]], capsize=3)
        ax.plot(x, r['arm_acc']['mean'], 'kD', ms=5)
        ax.text(x, max(m['max'], r['arm_acc']['mean']) + 0.03, f"n={len(r['seeds'])}\n{r['iters'] / 1000:g}k", ha='center', fontsize=7)
    grouped_bars(ax, rows, bar)
    handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(i % 10)) for i in range(len(names))]
    handles += [plt.Line2D([0], [0], color='black', marker='D', ls=''), plt.Line2D([0], [0], color='black', ls=':')]
    ax.legend(handles, names + ['arm accuracy', 'chance 1/d'], fontsize=7, ncol=4, loc='upper center')
    ax.set_ylabel('path accuracy (exact match, test)')
    ax.set_ylim(0, 1.45)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    save(fig, path)


def objective_curves(plt, path, grid='objectives'):
    """One panel per config of the grid (a row per graph, a column per objective), seed 1: position_curves."""
    configs = GRIDS[grid]['configs']
    graphs = list(dict.fromkeys(describe(c)[0] for c in configs))
    names = list(dict.fromkeys(describe(c)[1] for c in configs))
    fig, axes = plt.subplots(len(graphs), len(names), figsize=(max(8, 2.6 * len(names)), max(3.6, 2.7 * len(graphs))), squeeze=False, sharey=True)
    for config in configs:
        graph, name, _, deg = describe(config)
        ax = axes[graphs.index(graph)][names.index(name)]
        ax.set_title(f"{name}\n{graph}", fontsize=8)
        run = cell_name(config, 1)
        if not os.path.exists(os.path.join(SWEEP_DIR, run, 'log.jsonl')):
            ax.text(0.5, 0.5, 'not run', ha='center', transform=ax.transAxes)
            continue
        position_curves(plt, ax, run, deg, first_decision=not objectives.get(load_cfg(config)).reversed)
        ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=6, loc='center right')
    fig.suptitle('Teacher-forced accuracy by target position through training (test graphs, seed 1); dotted: 1/d', fontsize=10)
    fig.tight_layout()
    save(fig, path)


def seed_curves(plt, path, grid):
    """Path accuracy through training, one line per seed run of each of the grid's configs."""
    fig, ax = plt.subplots(figsize=(7, 5))
    for k, config in enumerate(GRIDS[grid]['configs']):
        graph, name, model, deg = describe(config)
        c = load_cfg(config)
        schedule = 'constant lr, ' if c['min_lr'] == c['learning_rate'] else '' if c['cooldown_iters'] else 'cosine, '
        runs = [run for run in sorted(os.listdir(SWEEP_DIR))  # every seed run, --seeds=4,5 included
                 if re.fullmatch(re.escape(cell_name(config, '')) + r'\d+', run) and os.path.exists(os.path.join(SWEEP_DIR, run, 'log.jsonl'))]
        for i, run in enumerate(runs):
            log = read_log(run)
            label = (f"{name}, {model}, batch {c['batch_size']}, {schedule}{c['max_iters']:,} steps "
                     f"({len(runs)} seed{'s' if len(runs) > 1 else ''})")
            ax.plot([r['iter'] for r in log], [r['path_acc'] for r in log], color=f'C{k}', marker='o', ms=3,
                    label=textwrap.fill(label, 100) if i == 0 else None)  # long names wrap inside the figure
    ax.axhline(1 / deg, color='grey', lw=1, ls=':')
    ax.set_xlabel('optimizer step')
    ax.set_ylabel('path accuracy (test)')
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8, loc='upper center', bbox_to_anchor=(0.5, -0.15))  # below: the lines fill the axes
    ax.set_title(f"{graph}: path accuracy through training, one line per seed; dotted: 1/d", fontsize=9)
    fig.tight_layout()
    save(fig, path)


def depth_curves(plt, path):
    """Final path accuracy (mean, min-max bars over seeds) against n_layer: a line per graph, a style per objective."""
    with open(os.path.join(RESULTS_DIR, 'depth.json')) as f:
        rows = json.load(f)
    lines = dict.fromkeys((r['graph'], r['objective'], r['batch_size']) for r in rows)  # a line per graph, objective, batch
    fig, ax = plt.subplots(figsize=(9, 4 + 0.15 * len(lines)))  # the legend goes below, a row per line
    graphs, names = (list(dict.fromkeys(r[k] for r in rows)) for k in ('graph', 'objective'))
    for line in lines:
        graph, name, batch = line
        rs = sorted((r for r in rows if (r['graph'], r['objective'], r['batch_size']) == line), key=lambda r: r['n_layer'])
        m = [r['path_acc'] for r in rs]
        ax.errorbar([r['n_layer'] for r in rs], [x['mean'] for x in m], yerr=[[x['mean'] - x['min'] for x in m], [x['max'] - x['mean'] for x in m]],
                    color=f"C{graphs.index(graph)}", ls=('-', '--', ':')[names.index(name) % 3], marker='os'[batch != rows[0]['batch_size']],
                    capsize=3, label=f"{graph}, {name}, batch {batch} (seeds: {'/'.join(str(len(r['seeds'])) for r in rs)})")
    ax.axhline(0.5, color='grey', lw=1, ls=':')
    ax.set_xlabel('n_layer')
    ax.set_xticks(sorted({r['n_layer'] for r in rows}))
    ax.set_ylabel('path accuracy (test), end of run')
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, loc='upper center', bbox_to_anchor=(0.5, -0.15))  # below: the points fill the axes
    ax.set_title("Depth against lookups to chain, at each run's end (its steps: results/depth.md); dotted: 1/d", fontsize=9)
    fig.tight_layout()
    save(fig, path)


if __name__ == '__main__':
    try:
        import matplotlib
    except ImportError:
        sys.exit("error: plot.py needs matplotlib: pip install matplotlib")
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    os.makedirs(RESULTS_DIR, exist_ok=True)
    figures = (('clever_hans.png', clever_hans, 'results.json'), ('path_acc.png', path_acc_bars, 'results.json'),
               ('objectives.png', objective_bars, 'objectives.json'), ('objectives_curves.png', objective_curves, 'objectives.json'),
               ('d5_l3_long.png', lambda plt, path: seed_curves(plt, path, 'd5_l3_long'), 'objectives.json'),
               ('teacherless.png', lambda plt, path: seed_curves(plt, path, 'teacherless'), 'objectives.json'),
               ('d5_l5_bst.png', lambda plt, path: objective_curves(plt, path, 'd5_l5_bst'), 'objectives.json'),
               ('depth.png', depth_curves, 'depth.json'),
               ('cure.png', lambda plt, path: seed_curves(plt, path, 'cure'), 'depth.json'),
               ('cure_seeds.png', lambda plt, path: seed_curves(plt, path, 'cure_seeds'), 'depth.json'),
               ('cure_frontier.png', lambda plt, path: seed_curves(plt, path, 'cure_frontier'), 'depth.json'),
               ('cure_control.png', lambda plt, path: seed_curves(plt, path, 'cure_control'), 'depth.json'),
               ('literature.png', lambda plt, path: objective_bars(plt, path, 'literature', 'The cures at their references\' sizes, on a GPU: '
                                                                   'path accuracy (bars), arm accuracy (diamonds)'), 'literature.json'))
    known = sorted({table[:-5] for _, _, table in figures})
    tables = sys.argv[1:] or known  # python plot.py objectives: only that table's figures
    if set(tables) - set(known):
        sys.exit(f"error: {' '.join(tables)}: plot.py takes table names: {', '.join(known)}")
    for name, draw, table in figures:
        if table[:-5] in tables and os.path.exists(os.path.join(RESULTS_DIR, table)):  # a grid not run has no table
            draw(plt, os.path.join(RESULTS_DIR, name))
            print(f"wrote {os.path.join(RESULTS_DIR, name)}")
