"""
When does the one-edge lookup (the half of the Clever-Hans cheat that is learned)
form, and what makes it form sooner? Reads the runs of two sweep.py grids and
writes results/lookup_formation.md (and .png where matplotlib is installed).

$ python sweep.py --grid=lookup --jobs=16 --device=cuda --dtype=float32   # 66 runs: G(d,l), both target orders, 3 seeds
$ python sweep.py --grid=levers --jobs=2                                  # 21 runs: one change each, on G(4,4)
$ python lookup_study.py

A run's lookup has formed at its first evaluation with forced accuracy >= 0.95 at
every lookup position (objectives.lookup_formed); a run that never gets there is
censored at its last evaluation. The fit is an exponential waiting time (a
constant chance per step of forming, the one model that takes the censored runs
at their word): rate = exp(a + b*d + c*l) per objective, fitted by maximum
likelihood (a Poisson regression with the steps watched as exposure). It is a
summary of these runs, not a law: extrapolated far outside d <= 5, l <= 10 it
says how far out of reach a graph is, not when it would form.
"""
import json
import os
import sys

import numpy as np

import objectives
from runtime import save_text
from sweep import GRIDS, RESULTS_DIR, SWEEP_DIR, cell_name, load_cfg

PREDICT = [(5, 5), (2, 20), (20, 5)]  # graphs the fit is asked about: the paper's larger ones


def formation(log, objective):
    """(step at which the lookup formed or None, last step watched) of one run's log.jsonl records."""
    formed = next((r['iter'] for r in log if objectives.lookup_formed(r, dict(objective=objective))), None)
    return formed, log[-1]['iter']


def runs(grid):
    """One dict per run of the grid found on disk: deg, path_len, objective, lever, seed, formed, watched, batch."""
    out = []
    for config in GRIDS[grid]['configs']:
        c = load_cfg(config)
        lever = ' '.join(o for o in config.split()[1:] if o.split('=')[0] not in
                         ('--deg', '--path_len', '--max_iters', '--eval_interval', '--eval_samples', '--objective'))
        for seed in GRIDS[grid]['seeds']:
            path = os.path.join(SWEEP_DIR, cell_name(config, seed), 'log.jsonl')
            if os.path.exists(path):
                with open(path) as f:
                    formed, watched = formation([json.loads(line) for line in f], c['objective'])
                out.append(dict(deg=c['deg'], path_len=c['path_len'], objective=c['objective'], lever=lever or 'none (default)',
                                seed=seed, formed=formed, watched=formed or watched, batch=c['batch_size'], cap=c['max_iters']))
    return out


def fit_rate(rows):
    """Maximum-likelihood (a, b, c) of rate = exp(a + b*deg + c*path_len) formations per step."""
    X = np.array([[1.0, r['deg'], r['path_len']] for r in rows])
    y = np.array([r['formed'] is not None for r in rows], dtype=float)
    t = np.array([r['watched'] for r in rows], dtype=float)
    beta = np.array([np.log(y.sum() / t.sum()), 0.0, 0.0])  # start at the pooled rate
    for _ in range(100):  # Newton's method on the Poisson log-likelihood sum(y*log(mu) - mu), mu = t*rate
        mu = t * np.exp(X @ beta)
        step = np.linalg.solve(X.T @ (mu[:, None] * X), X.T @ (y - mu))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def graphs_to_form(beta, deg, path_len, batch):
    """Expected graphs seen until the lookup forms, under the fit: batch / rate."""
    return batch / np.exp(beta @ [1.0, deg, path_len])


def markdown(study, levers, fits):
    seen = lambda r: f"{'' if r['formed'] else '> '}{r['watched'] * r['batch'] / 1e3:,.0f}k"  # watched: the step it formed at, if it did
    lines = ['## When the lookup forms (`python sweep.py --grid=lookup`)', '',
             'Graphs seen until the lookup formed, one entry per seed ("> N": not formed when the run stopped, at the '
             'cap of 20,000 steps or earlier where a run was cut); 3 x 96 GPT, batch 64, lr 1e-3, cosine over 20,000 steps.', '',
             '| graph | edges | objective | formed | graphs seen, by seed | fit: expected graphs |', '|---|---|---|---|---|---|']
    for (d, l, o) in dict.fromkeys((r['deg'], r['path_len'], r['objective']) for r in study):
        rs = [r for r in study if (r['deg'], r['path_len'], r['objective']) == (d, l, o)]
        lines.append(f"| G({d},{l}) | {d * (l - 1)} | {o} | {sum(r['formed'] is not None for r in rs)}/{len(rs)} | "
                     f"{', '.join(seen(r) for r in rs)} | {graphs_to_form(fits[o], d, l, 64) / 1e3:,.0f}k |")
    lines += ['', 'The fit, rate of forming per step = exp(a + b*d + c*l):', '']
    for o, (a, b, c) in fits.items():
        guess = ', '.join(f"G({d},{l}) {graphs_to_form(fits[o], d, l, 64):.1e} graphs" for d, l in PREDICT)
        lines.append(f"- {o}: a = {a:.2f}, b = {b:.2f} per arm, c = {c:.2f} per node of path length; expected: {guess}")
    if levers:
        lines += ['', '## Levers on G(4,4) (`python sweep.py --grid=levers`)', '',
                  f"One change each from the default; a {levers[0]['cap']:,}-step cap (the cosine schedule over it), 3 x 96 GPT unless changed.", '',
                  '| change | formed | graphs seen, by seed |', '|---|---|---|']
        for lever in dict.fromkeys(r['lever'] for r in levers):
            rs = [r for r in levers if r['lever'] == lever]
            lines.append(f"| {lever} | {sum(r['formed'] is not None for r in rs)}/{len(rs)} | {', '.join(seen(r) for r in rs)} |")
    return '\n'.join(lines) + '\n'


def levers_panel(ax, levers):
    names = list(dict.fromkeys(r['lever'] for r in levers))
    for x, lever in enumerate(names):
        for k, r in enumerate(r for r in levers if r['lever'] == lever):
            ax.plot(x + (k - 1) * 0.12, r['watched'] * r['batch'], 'o' if r['formed'] else '^', color='C2', mfc=None if r['formed'] else 'none', ms=6)
    ax.set_xticks(range(len(names)), [n.replace('--', '').replace(' (default)', '\n(default)') for n in names], fontsize=7, rotation=30)
    ax.set_title(f"G(4,4) forward, one change each, {levers[0]['cap']:,}-step cap", fontsize=9)


def figure(study, levers, fits, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from plot import save
    graphs = sorted(dict.fromkeys((r['deg'], r['path_len']) for r in study), key=lambda g: (g[0] * (g[1] - 1), g))
    fig, axes = plt.subplots(1, len(fits) + bool(levers), figsize=(6.5 * len(fits) + 4 * bool(levers), 4.2), squeeze=False, sharey=True)
    if levers:
        levers_panel(axes[0][-1], levers)
    for ax, (o, beta) in zip(axes[0], fits.items()):
        for x, (d, l) in enumerate(graphs):
            for k, r in enumerate(r for r in study if (r['deg'], r['path_len'], r['objective']) == (d, l, o)):
                y, dx = r['watched'] * r['batch'], (k - 1) * 0.12
                ax.plot(x + dx, y, 'o' if r['formed'] else '^', color=f'C{d - 2}', mfc=None if r['formed'] else 'none', ms=6)
            ax.plot(x, graphs_to_form(beta, d, l, 64), '_', color='black', ms=14, mew=2)
        ax.set_yscale('log')
        ax.set_xticks(range(len(graphs)), [f"G({d},{l})\n{d * (l - 1)}" for d, l in graphs], fontsize=8)
        ax.set_xlabel('graph, and its number of edges')
        ax.set_title(f"{o}: dots formed, open triangles not formed when stopped; bars: the fit", fontsize=9)
    axes[0][0].set_ylabel('graphs seen until the lookup formed')
    degs = sorted({r['deg'] for r in study})
    axes[0][0].legend([plt.Line2D([0], [0], color=f'C{d - 2}', marker='o', ls='') for d in degs], [f'd = {d}' for d in degs], fontsize=8, loc='upper left')
    fig.suptitle('When the one-edge lookup forms: 3 x 96 GPT, batch 64, one marker per seed', fontsize=10)
    fig.tight_layout()
    save(fig, path)


if __name__ == '__main__':
    study, levers = runs('lookup'), runs('levers')
    if not study:
        sys.exit("error: no run of the lookup grid in out/sweep: python sweep.py --grid=lookup first")
    fits = {o: fit_rate([r for r in study if r['objective'] == o]) for o in dict.fromkeys(r['objective'] for r in study)}
    text = markdown(study, levers, fits)
    os.makedirs(RESULTS_DIR, exist_ok=True)
    save_text(os.path.join(RESULTS_DIR, 'lookup_formation.md'), text)
    print(text)
    try:
        figure(study, levers, fits, os.path.join(RESULTS_DIR, 'lookup_formation.png'))
        print(f"wrote {RESULTS_DIR}/lookup_formation.png")
    except ImportError:
        print("no matplotlib: figure skipped (pip install -r requirements-plot.txt)")
