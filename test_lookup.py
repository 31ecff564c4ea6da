"""The lookup-formation study (issue 15): when the lookup counts as formed, a run
that stops there, and the fit of lookup_study.py on runs whose answer is known."""
import re

import numpy as np
import pytest

import lookup_study
import objectives
import train
from conftest import tiny_cfg


@pytest.mark.parametrize('forced,objective,formed', [
    ([1.0, 0.5, 0.96, 0.97, 1.0], 'forward', True),   # the cheat: the first decision a guess, the rest looked up
    ([1.0, 0.5, 0.94, 1.0, 1.0], 'forward', False),   # position 3 not yet
    ([1.0, 0.5, 0.96, 0.97, 1.0], 'reverse', False),  # reverse: position 2 is a lookup too
    ([1.0, 0.96, 0.96, 0.99, 1.0], 'reverse', True),
    ([1.0, 0.5, 0.96, 0.97, 1.0], 'mtp', True),       # every forward-order objective reads as forward
])
def test_lookup_formed_on_hand_made_accuracies(forced, objective, formed):
    assert objectives.lookup_formed(dict(forced_acc=forced), dict(objective=objective)) is formed


def test_lookup_formed_counts_the_right_context_too():
    left_blind = dict(forced_acc=[1.0, 0.5, 0.2, 0.2, 1.0], forced_acc_right=[1.0, 0.97, 0.96, 0.99, 1.0])
    assert objectives.lookup_formed(left_blind, dict(objective='mlm_u'))  # the parent lookup alone counts
    assert not objectives.lookup_formed(dict(left_blind, forced_acc_right=[1.0, 0.97, 0.5, 0.99, 1.0]), dict(objective='mlm_u'))


def test_formation_is_the_first_formed_evaluation_or_censored():
    log = [dict(iter=i, forced_acc=[1, 0.5, a, a, 1]) for i, a in [(0, 0), (100, 0.5), (200, 0.97), (300, 0.9), (400, 1)]]
    assert lookup_study.formation(log, 'forward') == (200, 400)
    assert lookup_study.formation(log[:2], 'forward') == (None, 100)


def test_stop_at_lookup_ends_the_run_at_the_first_formed_evaluation(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(objectives, 'lookup_formed', lambda rec, cfg: seen.append(cfg['objective']) or len(seen) == 2)
    rec = train.train(tiny_cfg(tmp_path, '--stop_at_lookup=True'))
    assert rec['iter'] == 4 and seen == ['forward', 'forward']  # asked at steps 2 and 4 (never at 0), stopped at 4 of 6
    assert train.load_checkpoint(str(tmp_path / 'ckpt.pt'))['iter_num'] == 4


def test_stop_at_lookup_refuses_several_processes(tmp_path, monkeypatch):
    for key, value in dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='2').items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValueError, match=re.escape('stop_at_lookup=True needs one process')):
        train.train(tiny_cfg(tmp_path / 'out', '--stop_at_lookup=True'))
    assert not (tmp_path / 'out').exists()


def test_fit_recovers_known_rates_from_censored_runs():
    rng = np.random.default_rng(0)
    a, b, c, cap = -3.0, -1.0, -0.3, 2000
    rows = []
    for d, l in [(2, 4), (2, 6), (3, 5), (4, 4), (5, 5)] * 400:
        wait = rng.exponential(1 / np.exp(a + b * d + c * l))
        rows.append(dict(deg=d, path_len=l, formed=wait if wait <= cap else None, watched=min(wait, cap)))
    assert sum(r['formed'] is None for r in rows) > 400  # the slow graphs are mostly censored, as in the study
    assert np.allclose(lookup_study.fit_rate(rows), [a, b, c], atol=0.15)
    naive = lookup_study.fit_rate([r for r in rows if r['formed']])  # the censored runs dropped
    assert naive[1] > b + 0.3  # ... which would hide how much slower the big graphs are
