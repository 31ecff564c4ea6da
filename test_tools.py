"""
The tools around training: bench.py, the dtype rule (runtime.py) and sweep.py.
$ python -m pytest -q test_tools.py
"""
import json
import subprocess
import sys

import pytest
import torch

import data
import objectives
import runtime
import train
from conftest import HERE, TINY


# -----------------------------------------------------------------------------
# bench.py and sweep.py


def test_bench_prints_its_figures_as_json():
    r = subprocess.run([sys.executable, 'bench.py', 'config/star_d2_l5.py', '--n_train=2000', '--n_test=100',
                        '--bench_steps=2', '--warmup_steps=1', '--eval_graphs=16', '--peak_size=256',
                        '--n_layer=1', '--n_embd=30', '--device=cpu'], cwd=HERE, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    for key in ('tokens_per_s', 'ms_per_step', 'mfu', 'peak_gflops', 'data_gen_s', 'eval_ms_per_graph',
                'mamba_ms_per_step', 'mamba_no_scan_ms_per_step', 'warmup_s', 'ms_per_step_float32', 'ms_per_step_bfloat16',
                'eval_nocache_ms_per_graph'):
        assert res[key] > 0, key
    assert res['tokens_per_step'] == 64 * 31  # speeds are bench.py's to report: a timing here would flake beside other work
    assert res['bf16_speedup'] == pytest.approx(res['ms_per_step_float32'] / res['ms_per_step_bfloat16'])


def test_auto_dtype_and_bf16_on_cpu(monkeypatch):
    pick = runtime.pick_dtype
    monkeypatch.setattr(runtime, 'cpu_has_amx', lambda: True)  # bf16 only where it measured faster: wide GPTs
    assert pick('auto', 'cpu', 'gpt', 384) == pick('auto', 'cpu', 'gpt', 768) == 'bfloat16'
    assert pick('auto', 'cpu', 'gpt', 96) == pick('auto', 'cpu', 'gpt', 192) == pick('auto', 'cpu', 'mamba', 384) == 'float32'
    assert pick('float32', 'cpu', 'gpt', 384) == 'float32' and pick('bfloat16', 'cpu', 'gpt', 96) == 'bfloat16'
    monkeypatch.setattr(runtime, 'cpu_has_amx', lambda: False)
    assert pick('auto', 'cpu', 'gpt', 384) == pick('auto', 'cpu', 'gpt', 96) == pick('auto', 'mps', 'gpt', 384) == 'float32'
    # the bf16 autocast step (what 'auto' picks on an AMX CPU) trains like the fp32 one
    cfg = train.load_config(['config/star_d2_l5.py', '--n_layer=1', '--n_embd=48'])
    batch = objectives.ntp_batch(data.make_splits(2, 5, 50, 64, 0, seed=0)[0], cfg, None)
    losses = {}
    for dtype in ('float32', 'bfloat16'):
        torch.manual_seed(0)
        model = train.build_model(cfg)
        opt = model.configure_optimizers(0.1, 3e-3, (0.9, 0.95), 'cpu')
        scaler = torch.amp.GradScaler(enabled=False)
        step = objectives.Loss(model, cfg)
        losses[dtype] = [train.train_step(step, opt, scaler, batch, runtime.autocast('cpu', dtype), 1.0).item() for _ in range(20)]
    assert losses['bfloat16'][-1] < 0.8 * losses['bfloat16'][0]
    assert losses['bfloat16'] == pytest.approx(losses['float32'], rel=0.05)


def test_sweep_table_means_and_spreads():
    import sweep
    recs = [dict(config='config/star_d2_l5.py', seed=s, iter=3000, path_acc=p, forced_acc=[1, p, 1, 0.9, 1], elapsed_s=60 * s)
            for s, p in ((1, 0.4), (2, 0.5), (3, 0.6))]
    (row,) = sweep.tabulate(recs)
    assert row['graph'] == 'G(2,5) N=50' and row['objective'] == 'forward' and row['chance'] == 0.5
    assert row['path_acc'] == dict(mean=pytest.approx(0.5), min=0.4, max=0.6)
    assert row['forced_acc_3_to_l']['mean'] == pytest.approx(2.9 / 3) and row['wall_min']['max'] == 3
    assert '| G(2,5) N=50 | gpt 3x96 | forward | 3 | 3,000 | 192,000 | 0.50 (0.40-0.60) |' in sweep.markdown([row])
    # the model and the graphs seen are the ones the cell ran, the sweep's extra arguments included
    recs = [dict(r, cmd='train.py config/star_d2_l5.py --seed=1 --n_layer=1 --batch_size=8', device='NVIDIA H200') for r in recs]
    (row,) = sweep.tabulate(recs)
    assert '| gpt 1x96 | forward | 3 | 3,000 | 24,000 |' in sweep.markdown([row]) and '| NVIDIA H200 |' in sweep.markdown([row])


def test_remaking_a_table_keeps_the_committed_rows_of_cells_not_on_disk(tmp_path, monkeypatch):
    import sweep
    configs = ['config/star_d2_l5.py', 'config/star_d2_l5_reverse.py', 'config/star_d2_l5_teacherless.py']
    monkeypatch.setattr(sweep, 'GRIDS', dict(t=dict(seeds=[1], configs=configs)))
    monkeypatch.setattr(sweep, 'SWEEP_DIR', str(tmp_path / 'sweep'))
    monkeypatch.setattr(sweep, 'RESULTS_DIR', str(tmp_path / 'results'))
    rec = dict(seed=1, iter=3000, path_acc=0.1, arm_acc=0.1, forced_acc=[1] * 5, elapsed_s=60)
    committed = sweep.tabulate([dict(rec, config=c) for c in (configs[1], configs[2], 'config/star_d2_l5_mtp.py')])
    (tmp_path / 'results').mkdir()
    (tmp_path / 'results' / 'results.json').write_text(json.dumps(committed))
    done = tmp_path / 'sweep' / 'star_d2_l5_teacherless_s1' / 'done.json'  # this disk holds one cell, of the last config
    done.parent.mkdir(parents=True)
    done.write_text(json.dumps(dict(rec, config=configs[2], path_acc=0.9)))
    ((table, rows),) = sweep.write_tables()
    assert table == 'results' and [r['config'] for r in rows] == configs[1:]  # grid order; one no longer in a grid is dropped
    assert rows[0] == committed[0] and rows[1]['path_acc']['mean'] == 0.9  # kept as committed; remade from the disk
    done = tmp_path / 'sweep' / 'star_d2_l5_reverse_s2' / 'done.json'  # another seed of a committed row: merged with it
    done.parent.mkdir(parents=True)
    done.write_text(json.dumps(dict(rec, config=configs[1], seed=2, path_acc=0.5, elapsed_s=180)))
    ((table, rows),) = sweep.write_tables()
    assert rows[0]['seeds'] == [1, 2] and rows[0]['path_acc'] == dict(mean=pytest.approx(0.3), min=0.1, max=0.5)
    assert rows[0]['wall_min'] == dict(mean=pytest.approx(2), min=1, max=3) and rows[1]['path_acc']['mean'] == 0.9
    assert [r for _, rows in sweep.write_tables() for r in rows] == rows  # remade again from the merged table: the same
    done.write_text(json.dumps(dict(rec, config=configs[1], seed=2, iter=6000, path_acc=0.5, elapsed_s=180)))
    ((table, rows),) = sweep.write_tables()  # that seed rerun to another step count: the disk's row, not the committed one
    assert rows[0]['seeds'] == [2] and rows[0]['path_acc']['mean'] == 0.5


def test_the_plan_estimates_minutes_from_the_measured_step():
    import sweep
    paper = 'config/paper_d2_l5.py --max_iters=1000'  # the measured step: 11.3 ms on one H100
    assert sweep.cost(paper) * sweep.H100_MS_PER_COST / 1000 == pytest.approx(11.3)


def test_every_grid_entry_is_a_config_train_py_accepts():
    import sweep
    for name, grid in sweep.GRIDS.items():
        for config in grid['configs']:  # load_config raises on a missing file, an unknown key or a bad value
            assert sweep.cost(config) > 0 and sweep.describe(config)[0].startswith('G('), (name, config)


def test_sweep_goes_on_past_a_failed_cell_and_never_reruns_a_done_one(tmp_path, monkeypatch):
    import sweep
    bad = tmp_path / 'bad.py'
    bad.write_text("max_iter = 2\n")  # a typo'd key: its train.py run exits with an error
    monkeypatch.chdir(HERE)
    monkeypatch.setattr(sweep, 'GRIDS', dict(t=dict(seeds=[1], configs=[str(bad), 'config/star_d2_l5.py'])))
    monkeypatch.setattr(sweep, 'SWEEP_DIR', str(tmp_path / 'sweep'))
    monkeypatch.setattr(sweep, 'RESULTS_DIR', str(tmp_path / 'results'))
    monkeypatch.setattr(sweep, 'cost', lambda config: 0)  # the bad config cannot be read; keep the grid order
    args = ['--grid=t', '--max_iters=2', '--eval_interval=2'] + TINY
    with pytest.raises(SystemExit, match=r'1 cell\(s\) failed: bad_s1'):
        sweep.main(args)
    (row,) = json.loads((tmp_path / 'results' / 'results.json').read_text())  # the good cell is tabulated
    assert row['config'] == 'config/star_d2_l5.py' and row['iters'] == 2
    done = tmp_path / 'sweep' / 'star_d2_l5_s1' / 'done.json'
    before = done.stat().st_mtime_ns
    monkeypatch.setattr(sweep, 'GRIDS', dict(t=dict(seeds=[1], configs=['config/star_d2_l5.py'])))
    sweep.main(args)
    assert done.stat().st_mtime_ns == before
