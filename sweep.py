"""
Run a grid of configs x seeds and tabulate the results: the README's table.

$ python sweep.py --jobs=2         # the G(2,5) grid: GPT and Mamba, 3 objectives, 3 seeds
$ python sweep.py --grid=large     # the paper's larger graphs, one seed each
$ python sweep.py --grid=objectives --jobs=2   # every objective on G(2,5) and G(5,3)
$ python sweep.py --grid=objectives --seeds=1  # ... one seed only
$ python sweep.py --grid=d5_l3_long --jobs=2   # G(5,3), 10,000 steps: BST against its controls
$ python sweep.py --grid=teacherless --jobs=2  # teacherless that succeeds: G(2,3), 6 layers, batch 128
$ python sweep.py --grid=d5_l5_bst            # BST on G(5,5), 10,000 steps, one seed
$ python sweep.py --grid=lookup --jobs=16 --device=cuda --dtype=float32   # when the lookup forms
$ python sweep.py --grid=levers --jobs=2        # what makes the lookup form sooner, on G(4,4)
$ python sweep.py --grid=depth --seeds=1 --jobs=2   # path accuracy against depth, one-pass objectives on G(2,3..5)
$ python sweep.py --grid=cure --jobs=2      # teacherless_reverse on G(2,5), 3 seeds: the candidate positive control
$ python sweep.py --grid=cure_seeds --jobs=16 --device=cuda --dtype=float32   # the same pair over 6 seeds, on a GPU
$ python sweep.py --grid=cure_levers --jobs=12 --device=cuda --dtype=float32  # ... at batch 256, and with 12 layers
$ python sweep.py --grid=cure_edge --jobs=12 --device=cuda --dtype=float32    # edge-local attention over 6 seeds
$ python sweep.py --grid=cure_hold --jobs=2   # ... with the a1 target held out of the loss for 4,000 steps
$ python sweep.py --grid=cure_a2 --jobs=2     # ... with the a1 slot asked for a2 for those 4,000 steps
$ python sweep.py --grid=cure_frontier --jobs=2  # ... for the next hop not yet learned, until the hops have formed
$ python sweep.py --grid=cure_control --jobs=2  # the positive control on G(2,5), 6 seeds, ~1 h a run
$ python sweep.py --plan --grid=literature   # the literature's sizes: each cell's estimated H100 minutes
$ pip install -r requirements.txt -r requirements-plot.txt; nvidia-cuda-mps-control -d; \
  timeout 420 python sweep.py --grid=literature --jobs=4 --device=cuda; python plot.py literature   # on a bare GPU
  machine (where it has torch and no network, the install fails and the rest runs)
$ python sweep.py --table          # only remake the tables from the finished cells
$ python sweep.py --table --grid=objectives   # ... only that grid's table
$ python plot.py                   # the figures, from the runs' log.jsonl files

Each cell is one `python train.py CONFIG [--key=value ...] --seed=S --out_dir=out/sweep/NAME_sS`
run (a grid entry is a config file, optionally with overrides). A finished cell
(its done.json exists) is never re-run; a cell that was interrupted resumes
from its checkpoint. Writes results/TABLE.{json,md} (mean and spread over seeds)
for the grid's table (TABLE_OF): results (grids d2_l5 and large), objectives,
lookup, depth, literature.
"""
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import data
from runtime import save_text

GRIDS = {
    'd2_l5': dict(seeds=[1, 2, 3], configs=[
        'config/star_d2_l5.py', 'config/star_d2_l5_reverse.py', 'config/star_d2_l5_teacherless.py',
        'config/star_d2_l5_mamba.py', 'config/star_d2_l5_mamba_reverse.py', 'config/star_d2_l5_mamba_teacherless.py']),
    'large': dict(seeds=[1], configs=[
        'config/star_d5_l5.py', 'config/star_d5_l5_reverse.py', 'config/star_d5_l5_teacherless.py', 'config/star_d5_l5_long.py',
        'config/star_d2_l20.py',
        'config/star_d5_l20.py', 'config/star_d20_l5.py']),
}
OBJECTIVE_CONFIGS = ['config/star_d2_l5.py', 'config/star_d2_l5_reverse.py', 'config/star_d2_l5_teacherless.py',
                     'config/star_d2_l5_mixed.py', 'config/star_d2_l5_mtp.py', 'config/star_d2_l5_top.py',
                     'config/star_d2_l5_bst.py', 'config/star_d2_l5_mlm_u.py']
# the same configs on G(5,3): the model, steps and every other setting unchanged
GRIDS['objectives'] = dict(seeds=[1, 2, 3], configs=OBJECTIVE_CONFIGS + [c + ' --deg=5 --path_len=3' for c in OBJECTIVE_CONFIGS])
# G(5,3) on a 10,000-step schedule: the belief-state transformer, and teacher forcing and reverse as its controls
GRIDS['d5_l3_long'] = dict(seeds=[1, 2, 3], configs=['config/star_d5_l3.py', 'config/star_d5_l3.py --objective=reverse', 'config/star_d5_l3_bst.py'])
# G(5,5), where the literature's BST succeeds: the objective that escaped on G(5,3), on the 10,000-step schedule, one seed
GRIDS['d5_l5_bst'] = dict(seeds=[1], configs=['config/star_d5_l5_bst.py'])
# the paper's teacherless objective where it succeeds here: G(2,3) with a 6-layer model and batch 128
GRIDS['teacherless'] = dict(seeds=[1, 2, 3], configs=['config/star_d2_l3_teacherless.py'])
# when the lookup forms: varying the length l at d=2 and the degree d at l=4 and l=5, both target orders
LOOKUP_GRAPHS = [(2, 4), (2, 5), (2, 6), (2, 8), (2, 10), (3, 4), (4, 4), (5, 4), (3, 5), (4, 5), (5, 5)]
GRIDS['lookup'] = dict(seeds=[1, 2, 3], configs=[f'config/lookup.py --deg={d} --path_len={l}' + order for d, l in LOOKUP_GRAPHS
                                                 for order in ('', ' --objective=reverse')])
# levers on G(4,4), where the lookup did not form by step 20,000 in any of 3 seeds: the default, then one change each;
# a 2,000-step cap and an evaluation every 250 steps on 500 graphs, so that the grid runs on a CPU (~80 min on 2 cores)
LEVERS = ['', ' --learning_rate=3e-3', ' --learning_rate=3e-4', ' --batch_size=128', ' --n_embd=192', ' --n_layer=6', ' --n_head=6']
GRIDS['levers'] = dict(seeds=[1, 2, 3], configs=['config/lookup.py --deg=4 --path_len=4 --max_iters=2000 --eval_interval=250 --eval_samples=500' + x
                                                 for x in LEVERS])
# how much depth each extra lookup costs: one-pass objectives on G(2,3), G(2,4), G(2,5) (a1 is 1, 2, 3 parent lookups from g)
# and teacherless_reverse's compute-matched control: teacherless at twice the batch (the pair sees each graph twice a step)
GRIDS['depth'] = dict(seeds=[1, 2, 3], configs=[f'config/depth.py --path_len={l} --n_layer={n}' + o for o in ('', ' --objective=teacherless_reverse')
                                                for l in (3, 4, 5) for n in (3, 6, 12)] + ['config/depth.py --path_len=4 --n_layer=6 --batch_size=128'])
# the literature's cures at their own sizes, for a GPU (a CPU runs them 1-2 orders below their budgets), in the
# order of their value: a window that ends early leaves the first rows. `python sweep.py --plan --grid=literature`
# prints each cell's estimated H100 time; cut cells resume from their checkpoints on the next window.
GRIDS['literature'] = dict(seeds=[1], order='listed', configs=[
    'config/lit_teacherless.py', 'config/lit_bst.py', 'config/lit_mlm_u.py', 'config/lit_top.py', 'config/lit_mtp.py',
    'config/lit_forward.py --deg=5', 'config/lit_mlm_u.py --decode=left_to_right', 'config/lit_forward.py',
    'config/lit_bst.py --deg=5 --max_iters=3000'])
# the positive control: teacherless and reverse in the same weights on G(2,5), 3 seeds; 8 x 96 at batch 64, 8 x 64 at batch 128,
# and with edge-local attention; then their compute-matched controls (teacherless alone at batch 256: the pair sees 128
# graphs twice a step)
B128 = 'config/star_d2_l5_teacherless_reverse_b128.py'
EDGE = 'config/star_d2_l5_teacherless_reverse_edge_local.py'
GRIDS['cure'] = dict(seeds=[1, 2, 3], configs=['config/star_d2_l5_teacherless_reverse.py', B128, B128 + ' --objective=teacherless --batch_size=256',
                                               EDGE, EDGE + ' --objective=teacherless --batch_size=256'])
# the pair's spread over seeds, on a GPU (a CPU runs three in an afternoon): a constant lr to step 16,000; a 2,000-step
# cooldown ending at 8,000; batch 64. `python sweep.py --grid=cure_seeds --jobs=16 --device=cuda --dtype=float32`
GRIDS['cure_seeds'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=[
    B128 + ' --max_iters=16000', B128 + ' --cooldown_iters=2000 --min_lr=1e-4', B128 + ' --batch_size=64 --max_iters=16000'])
# batch 256 and 12 layers formed the pair's first hops sooner on a GPU, but a window cut them before the last hop:
# batch 256 to 2M graphs (16,000 steps at 128), 12 layers to 6,000 steps. ~7 min of one H100 for the 12 runs side by
# side, from the 52 and 72 ms/step seen there (--plan's FLOP count is far below it: these small models are launch-bound)
GRIDS['cure_levers'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=[B128 + ' --batch_size=256 --max_iters=8000', B128 + ' --n_layer=12 --max_iters=6000'])
# edge-local attention over 6 seeds to step 16,000, for the pair and for teacherless alone (which forms hops with it):
# 12 runs side by side, ~6-7 min of one H100 as cure_seeds took. `python sweep.py --grid=cure_edge --jobs=12 --device=cuda --dtype=float32`
GRIDS['cure_edge'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=[EDGE + ' --max_iters=16000',
                                                           EDGE + ' --objective=teacherless --batch_size=256 --max_iters=16000'])
# the pair with the teacherless a1 target held out of the loss for its first 4,000 steps, on the CPU, one thread a run:
# `python sweep.py --grid=cure_hold --jobs=2` (~44 min a run, two side by side)
HOLD = 'config/star_d2_l5_teacherless_reverse_hold_a1.py'
GRIDS['cure_hold'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=[HOLD])
# ... with the a1 slot asked for a2 instead of nothing before step 4,000, and teacherless alone at twice the batch with
# the same stand-in (its compute-matched control): `python sweep.py --grid=cure_a2 --jobs=2`
A2_FIRST = 'config/star_d2_l5_teacherless_reverse_a2_first.py'
GRIDS['cure_a2'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=[A2_FIRST, A2_FIRST + ' --objective=teacherless --batch_size=256'])
# ... with the a1 slot asked for the next hop not yet learned (a3, then a2) until the hops back from g have formed,
# whenever that is in the seed, and its control: `python sweep.py --grid=cure_frontier --jobs=2` (~40 min a run).
# The control escapes too; config/star_d2_l5_teacherless_frontier.py is it at 11,000 steps with a final cooldown.
FRONTIER = 'config/star_d2_l5_teacherless_reverse_frontier.py'
GRIDS['cure_frontier'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=[FRONTIER, FRONTIER + ' --objective=teacherless --batch_size=256'],
                              order='listed')
# the positive control: teacherless alone with the frontier hold and a final cooldown, one config, 6 seeds on the CPU
# (~57 min a run, two side by side): `python sweep.py --grid=cure_control --jobs=2`
GRIDS['cure_control'] = dict(seeds=[1, 2, 3, 4, 5, 6], configs=['config/star_d2_l5_teacherless_frontier.py'])
# results/NAME.md holds the cells of the grids named NAME here, 'results' the rest
TABLE_OF = dict(objectives='objectives', d5_l3_long='objectives', d5_l5_bst='objectives', teacherless='objectives', lookup='lookup',
                levers='lookup', depth='depth', literature='literature', cure='depth', cure_seeds='depth', cure_levers='depth',
                cure_edge='depth', cure_hold='depth', cure_a2='depth', cure_frontier='depth', cure_control='depth')
SWEEP_DIR = 'out/sweep'   # one folder per run
RESULTS_DIR = 'results'   # the table (committed); plot.py adds the figures


def cell_name(config, seed):
    """'config/star_d2_l5_mtp.py --deg=5 --path_len=3', 1 -> 'star_d2_l5_mtp_deg5_path_len3_s1'"""
    path, *overrides = config.split()
    return os.path.basename(path)[:-3] + ''.join('_' + o[2:].replace('=', '') for o in overrides) + f"_s{seed}"


def run_cell(config, seed, extra):
    """Train one cell unless it is done; returns its done.json record, or None if the run failed."""
    name = cell_name(config, seed)
    out_dir = os.path.join(SWEEP_DIR, name)
    done = os.path.join(out_dir, 'done.json')
    if os.path.exists(done):
        print(f"{name}: done")
    else:
        resume = os.path.exists(os.path.join(out_dir, 'ckpt.pt'))
        cmd = [sys.executable, 'train.py', *config.split(), f'--seed={seed}', f'--out_dir={out_dir}'] + extra
        cmd += ['--init_from=resume'] if resume else []
        print(f"{name}: {'resuming' if resume else 'running'}: {' '.join(cmd[1:])}", flush=True)
        os.makedirs(out_dir, exist_ok=True)
        t0 = time.time()
        with open(os.path.join(out_dir, 'stdout.log'), 'a') as log:
            if subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
                print(f"{name}: FAILED, see {out_dir}/stdout.log", flush=True)
                return None  # the other cells go on; main() reports the failure at the end
        with open(os.path.join(out_dir, 'log.jsonl')) as f:
            last = [json.loads(line) for line in f][-1]
        save_text(done, json.dumps(dict(last, config=config, seed=seed, name=name, cmd=' '.join(cmd[1:]), device=device_name(extra))))
        print(f"{name}: path_acc {last['path_acc']:.3f} in {time.time() - t0:.0f}s")
    with open(done) as f:
        return json.load(f)


def load_cfg(config):
    """A grid entry ('config/X.py --key=value ...') read as train.py reads it."""
    from train import load_config
    return load_config(config.split())


def device_name(extra):
    """What a cell ran on: the GPU's name where one was used, else 'cpu'."""
    if any(arg in ('--device=cpu', '--device=mps') for arg in extra):
        return extra[[a.startswith('--device=') for a in extra].index(True)][len('--device='):]
    try:
        names = subprocess.run(['nvidia-smi', '--query-gpu=name', '--format=csv,noheader'], capture_output=True, text=True).stdout
    except OSError:  # no NVIDIA driver here
        return 'cpu'
    return names.splitlines()[0].strip() if names.strip() else 'cpu'


def describe(config):
    """(graph, objective, model, deg) of a grid entry, read as train.py would; the objective with its own keys."""
    c = load_cfg(config)
    objective = c['objective'] + dict(mixed=f", ntp_weight {c['ntp_weight']:g}", mtp=f", {c['n_future']} heads",
                                      top=f", window {c['top_window'] or 'all'}", mlm_u=f", decode {c['decode']}").get(c['objective'], '')
    objective += f", cooldown {c['cooldown_iters']:,}" if c['cooldown_iters'] else ''
    objective += ', edge-local attention' if c['edge_local'] else ''
    objective += f", a1 loss from step {c['a1_loss_from']:,}" if c['a1_loss_from'] else ''
    objective += f", a1 loss once the other slots are {c['a1_wait_acc']:g} right" if c['a1_wait_acc'] else ''
    objective += f" ({c['a1_stand_in']} before it)" if (c['a1_loss_from'] or c['a1_wait_acc']) and c['a1_stand_in'] != 'none' else ''
    return f"G({c['deg']},{c['path_len']}) N={c['num_nodes']}", objective, f"{c['model_type']} {c['n_layer']}x{c['n_embd']}", c['deg']


def cost(config):
    """Rough relative run time of a grid entry: steps x tokens x (layers x width^2 x batch), x3 for Mamba (bench.py: ~2.7x a GPT step), more for heavier objectives."""
    c = load_cfg(config)
    tokens = data.prefix_len(c['deg'], c['path_len']) + c['path_len']
    extra = dict(mixed=2, teacherless_reverse=2, mtp=1.6, bst=1.8).get(c['objective'], 1)  # two passes; n_future-1 more blocks; two encoders
    size = c['n_layer'] * c['n_embd'] ** 2 * c['batch_size'] / (3 * 96 ** 2 * 64)  # against the core model's step
    return c['max_iters'] * tokens * (3 if c['model_type'] == 'mamba' else 1) * extra * size


# one H100, bf16: the authors' 6 x 384 model stepped in 11.3 ms at batch 256 (LOG.md, "On a GPU"); its cost() per step
H100_MS_PER_COST = 11.3 / (6 * 384 ** 2 * 256 / (3 * 96 ** 2 * 64) * 32)


def plan(cells):
    """Each cell's estimated H100 minutes (cost() calibrated on one measured step), in run order, and the sum."""
    total = 0
    for config, seed in cells:
        minutes = cost(config) * H100_MS_PER_COST / 60000
        total += minutes
        print(f"{cell_name(config, seed):48s} {minutes:6.1f} min  (running total {total:.1f})")


def tabulate(records):
    """One row per config: mean and spread (min..max) over seeds."""
    rows = []
    for config in dict.fromkeys(r['config'] for r in records):
        rs = [r for r in records if r['config'] == config]
        graph, objective, model, deg = describe(config)
        ran = load_cfg(rs[0]['cmd'].removeprefix('train.py ')) if 'cmd' in rs[0] else load_cfg(config)  # with the sweep's extra args
        model = f"{ran['model_type']} {ran['n_layer']}x{ran['n_embd']}"
        stat = lambda xs: dict(mean=float(np.mean(xs)), min=float(np.min(xs)), max=float(np.max(xs)))
        rows.append(dict(config=config, graph=graph, objective=objective, model=model, chance=1 / deg,
                         n_layer=ran['n_layer'], batch_size=ran['batch_size'],
                         seeds=[r['seed'] for r in rs], iters=rs[0]['iter'], graphs=rs[0]['iter'] * ran['batch_size'],
                         device=rs[0].get('device', 'cpu'),
                         path_acc=stat([r['path_acc'] for r in rs]),
                         arm_acc=stat([r.get('arm_acc', float('nan')) for r in rs]),  # runs before arm_acc: nan
                         forced_acc_2=stat([r['forced_acc'][1] for r in rs]),
                         forced_acc_3_to_l=stat([np.mean(r['forced_acc'][2:]) for r in rs]),
                         wall_min=stat([r['elapsed_s'] / 60 for r in rs])))
    return rows


def markdown(rows):
    def cell(s, fmt='{:.2f}'):  # mean (min-max), the range only where it shows at this precision
        lo, hi = fmt.format(s['min']), fmt.format(s['max'])
        return fmt.format(s['mean']) + (f" ({lo}-{hi})" if lo != hi else '')
    lines = ['| graph | model | objective | seeds | steps | graphs seen | path acc | arm acc | forced acc, pos 2 | forced acc, pos 3..l | 1/d '
             '| device | minutes per run |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        lines.append(f"| {r['graph']} | {r['model']} | {r['objective']} | {len(r['seeds'])} | {r['iters']:,} | {r['graphs']:,} | {cell(r['path_acc'])} | "
                     f"{cell(r['arm_acc'])} | {cell(r['forced_acc_2'])} | {cell(r['forced_acc_3_to_l'])} | {r['chance']:.2f} | {r['device']} | "
                     f"{cell(r['wall_min'], '{:.1f}')} |")
    return '\n'.join(lines) + '\n'


def merged(row, old):
    """A row made from the cells on this disk, with the seeds of the committed row `old` that are not among them
    (a table remade where only some seeds ran keeps the others). A committed row at the same step count that holds
    more seeds than the disk, and every one of the disk's, stays as it is (it was merged before: remaking a table
    twice changes nothing); other overlaps, or another step count: the cells on disk alone."""
    if row['iters'] != old['iters']:
        return row
    if set(row['seeds']) < set(old['seeds']):
        return old
    if set(row['seeds']) & set(old['seeds']):
        return row
    n, m = len(row['seeds']), len(old['seeds'])
    def both(a, b):
        return dict(mean=(a['mean'] * n + b['mean'] * m) / (n + m), min=min(a['min'], b['min']), max=max(a['max'], b['max']))
    stats = {k: both(row[k], old[k]) for k in ('path_acc', 'arm_acc', 'forced_acc_2', 'forced_acc_3_to_l', 'wall_min')}
    device = row['device'] if row['device'] == old['device'] else 'mixed'
    return dict(row, **stats, seeds=sorted(row['seeds'] + old['seeds']), device=device)


def committed_rows(table):
    path = os.path.join(RESULTS_DIR, f'{table}.json')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f)


def write_tables(grid=None):
    """results/TABLE.{json,md} from every finished cell on disk: the table holding `grid`'s cells, or every table.
    Each table lists its grids' cells in grid order (a table written from one grid alone would lose the others').
    A config with no finished cell on this disk keeps its row from the committed table, and one with some of its
    seeds here keeps the others' (merged): a fresh clone holds no runs, and remaking a table there must not drop them."""
    records = []
    for name in sorted(os.listdir(SWEEP_DIR)):
        done = os.path.join(SWEEP_DIR, name, 'done.json')
        if os.path.exists(done):
            with open(done) as f:
                records.append(json.load(f))
    os.makedirs(RESULTS_DIR, exist_ok=True)
    tables = {}
    for g in GRIDS:
        tables.setdefault(TABLE_OF.get(g, 'results'), []).append(g)
    for table, grids in tables.items():
        if grid and grid not in grids:
            continue
        order = [c for g in grids for c in GRIDS[g]['configs']]
        rows = tabulate(sorted((r for r in records if r['config'] in order), key=lambda r: (order.index(r['config']), r['seed'])))
        committed = {r['config']: r for r in committed_rows(table) if r['config'] in order}
        rows = [merged(r, committed.pop(r['config'])) if r['config'] in committed else r for r in rows] + list(committed.values())
        rows.sort(key=lambda r: order.index(r['config']))
        save_text(os.path.join(RESULTS_DIR, f'{table}.json'), json.dumps(rows, indent=1))
        save_text(os.path.join(RESULTS_DIR, f'{table}.md'), markdown(rows))
        yield table, rows


def main(argv):
    grid, jobs, seeds, extra, run, only, planning = 'd2_l5', 1, None, [], True, False, False
    for arg in argv:
        if arg == '--table':  # only remake the tables from the finished cells
            run = False
        elif arg == '--plan':  # only print the cells' estimated GPU time
            planning = True
        elif arg.startswith('--grid='):
            grid, only = arg.split('=', 1)[1], True
        elif arg.startswith('--jobs='):
            jobs = int(arg.split('=', 1)[1])
        elif arg.startswith('--seeds='):  # a subset of the grid's seeds, e.g. --seeds=1
            seeds = [int(s) for s in arg.split('=', 1)[1].split(',')]
        else:
            extra.append(arg)  # passed on to every train.py run, e.g. --device=cuda
    if grid not in GRIDS:
        raise SystemExit(f"error: --grid={grid}: not one of {', '.join(GRIDS)}")
    os.makedirs(SWEEP_DIR, exist_ok=True)
    t0 = time.time()
    cells = [(config, seed) for config in GRIDS[grid]['configs'] for seed in seeds or GRIDS[grid]['seeds']]
    if GRIDS[grid].get('order') != 'listed':
        cells.sort(key=lambda cell: -cost(cell[0]))  # longest first: no worker idles while one long run finishes
    if planning:
        return plan(cells)
    failed, lock = [], threading.Lock()

    def run_and_tabulate(cell):  # small models use two cores better as two one-thread runs than as one two-thread run
        record = run_cell(*cell, extra + (['--threads=1'] if jobs > 1 else []))
        with lock:  # every finished cell's row is on disk at once: a run cut off later still leaves it
            list(write_tables(grid))
        return record
    if run:
        with ThreadPoolExecutor(jobs) as pool:
            done = list(pool.map(run_and_tabulate, cells))
        failed = [cell_name(*cell) for cell, record in zip(cells, done) if record is None]
        print(f"grid {grid} finished in {(time.time() - t0) / 60:.1f} min")
    for table, rows in write_tables(grid if run or only else None):
        print(f"results/{table}.md:\n" + markdown(rows))
    if failed:
        raise SystemExit(f"error: {len(failed)} cell(s) failed: {', '.join(failed)} (see their stdout.log)")


if __name__ == '__main__':
    main(sys.argv[1:])
