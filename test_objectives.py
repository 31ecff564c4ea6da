"""
Tests of the objectives (objectives.py), CPU only: inputs and targets against
slow references written here, loss only where intended, each decoding equal to
a plain loop, and a tiny run of each that learns.
$ python -m pytest -q test_objectives.py
"""
import json
import math

import pytest
import torch
from torch.nn import functional as F

import data
import objectives
import train
from conftest import stop_then_resume
from model import lm_loss

G25 = dict(deg=2, path_len=5, num_nodes=50)
P, L = data.prefix_len(2, 5), 5
SP = data.special_tokens(50)


def cfg_for(objective, **kw):
    return train.load_config(['config/star_d2_l5.py', f'--objective={objective}', '--n_layer=2', '--n_head=2', '--n_embd=32',
                              '--device=cpu', '--dtype=float32'] + [f'--{k}={v!r}' for k, v in kw.items()])


def graphs(n=8, seed=0, **task):
    task = dict(G25, **task)
    return data.make_splits(task['deg'], task['path_len'], task['num_nodes'], n, 1, seed=seed)[0]


def model_for(cfg, scale=1.0):
    torch.manual_seed(0)
    model = train.build_model(cfg).eval()
    for p in model.parameters():  # larger weights: greedy choices far from ties
        p.data.mul_(scale)
    return model


def test_next_token_objectives_align_inputs_and_targets():
    seq = graphs(4)
    path = seq[:, P:]
    for objective, target in [('forward', path), ('teacherless', path), ('reverse', path.flip(1)), ('mtp', path), ('top', path)]:
        b = objectives.get(cfg_for(objective)).batch(seq, cfg_for(objective), None)
        x, y = b['x'], b['y']
        assert x.shape == y.shape == (4, P + L - 1)
        assert (y[:, :P - 1] == -1).all() and torch.equal(y[:, P - 1:], target)  # loss on the path tokens only
        assert torch.equal(x[:, :P], seq[:, :P]) and (x[:, P - 1] == SP['eq']).all()
        answer_inputs = x[:, P:]  # the inputs that predict target tokens 2..l
        assert torch.equal(answer_inputs, torch.full_like(answer_inputs, SP['dummy']) if objective == 'teacherless' else target[:, :-1])
        assert torch.equal(objectives.target(seq, cfg_for(objective)), target)
    b = objectives.mixed_batch(seq, cfg_for('mixed', ntp_weight=0.5), None)  # teacherless inputs, then teacher-forced ones
    tl, tf = objectives.teacherless_batch(seq, cfg_for('teacherless'), None), objectives.ntp_batch(seq, cfg_for('forward'), None)
    assert torch.equal(b['x'], torch.cat([tl['x'], tf['x']])) and torch.equal(b['y'], tf['y']) and b['weight'] == 0.5


def test_mixed_loss_is_teacherless_plus_weighted_next_token():
    seq = graphs(8)
    model = model_for(cfg_for('forward'))
    tl, tf = (objectives.get(cfg_for(o)).batch(seq, cfg_for(o), None) for o in ('teacherless', 'forward'))
    for w in (0.0, 0.3):
        mixed = objectives.mixed_loss(model, objectives.mixed_batch(seq, cfg_for('mixed', ntp_weight=w), None))
        torch.testing.assert_close(mixed, model(tl['x'], tl['y'])[1] + w * model(tf['x'], tf['y'])[1])


def test_loss_only_on_target_positions():
    model = model_for(cfg_for('forward'))
    b = objectives.ntp_batch(graphs(8), cfg_for('forward'), None)
    logits, loss = model(b['x'], b['y'])
    manual = F.cross_entropy(logits[:, P - 1:].reshape(-1, 54), b['y'][:, P - 1:].reshape(-1))
    torch.testing.assert_close(loss, manual)


def test_mtp_head_k_targets_the_token_k_further_on():
    seq = graphs(4)
    y = objectives.ntp_batch(seq, cfg_for('mtp'), None)['y']
    T = y.size(1)
    for k in range(4):
        slow = torch.full_like(y, -1)
        for t in range(T):  # position t reads tokens 0..t; head k predicts token t+1+k, where it is a path token
            if P <= t + 1 + k < P + L:
                slow[:, t] = seq[:, t + 1 + k]
        assert torch.equal(objectives.mtp_targets(y, k), slow)
    # the loss is the plain sum over the heads; head 0 is the model's own next-token output (decoding uses it)
    cfg = cfg_for('mtp', n_future=3)
    model = model_for(cfg)
    assert len(model.heads['future']) == 2
    logits = objectives.mtp_logits(model, seq[:, :-1])
    torch.testing.assert_close(logits[0], model(seq[:, :-1])[0])
    manual = sum(lm_loss(logits[k], objectives.mtp_targets(y, k)) for k in range(3))
    torch.testing.assert_close(objectives.mtp_loss(model, dict(x=seq[:, :-1], y=y)), manual)


def test_top_scores_against_a_slow_reference():
    seq = graphs(3)
    y = objectives.ntp_batch(seq, cfg_for('top'), None)['y']
    B, T = y.shape
    for window in (1, 3, T):
        fast = objectives.top_scores(y, 54, window)
        slow = torch.full((B, T, 54), float('-inf'))
        for b in range(B):
            for t in range(T):
                for v in range(54):
                    ahead = [d for d in range(T - t) if y[b, t + d] == v]
                    if ahead and ahead[0] < window:
                        slow[b, t, v] = window - ahead[0]
        assert torch.equal(fast, slow)
    # at '=': s (the next token) scores the window, a1 one less, tokens not on the path nothing
    s = objectives.top_scores(y, 54, T)
    assert s[0, P - 1, seq[0, P]] == T and s[0, P - 1, seq[0, P + 1]] == T - 1 and torch.isinf(s[0, P - 1]).sum() == 54 - L


def test_bst_pairs_and_targets_against_a_slow_reference():
    cfg = cfg_for('bst')
    seq = graphs(4)
    T = P + L
    i, j = objectives.bst_pairs(cfg)
    slow = [(a, c) for a in range(T) for c in range(T + 1) if a >= P - 1 and c - a >= 2]
    assert list(zip(i.tolist(), j.tolist())) == slow and len(slow) == L * (L + 1) // 2
    assert all(P <= a + 1 < T and P <= c - 1 < T for a, c in slow)  # both targets are path tokens
    back = objectives.bst_backward_input(seq, cfg)  # '$', then g, ..., a2: position T - j has read tokens j..T
    assert (back[:, 0] == SP['dummy']).all()
    for jj in range(P + 1, T):
        assert torch.equal(back[:, T - jj], seq[:, jj])


def test_bst_encoders_see_only_their_side():
    cfg = cfg_for('bst')
    model = model_for(cfg, scale=5)
    seq = graphs(4)
    other = seq.clone()
    other[:, :P] = graphs(4, seed=1)[:, :P]  # another prefix, the same path
    bwd = lambda s: model.heads['backward'].hidden(objectives.bst_backward_input(s, cfg))[-1]
    torch.testing.assert_close(bwd(seq), bwd(other), rtol=0, atol=0)  # the suffix encoder never reads the prefix
    # the backward state at j ignores the tokens before j; the forward state at i ignores those after i
    changed = seq.clone()
    changed[:, P + 2] = (seq[:, P + 2] + 1) % 50
    b0, b1 = bwd(seq), bwd(changed)
    T = P + L
    assert torch.equal(b0[:, :T - (P + 2)], b1[:, :T - (P + 2)]) and not torch.equal(b0, b1)
    f0, f1 = model.hidden(seq[:, :-1])[-1], model.hidden(changed[:, :-1])[-1]
    assert torch.equal(f0[:, :P + 2], f1[:, :P + 2]) and not torch.equal(f0, f1)


def test_mlm_u_masks_only_path_tokens_at_the_drawn_rate():
    cfg = cfg_for('mlm_u')
    seq = graphs(6000)
    b = objectives.mlm_batch(seq, cfg, torch.Generator().manual_seed(0))
    masked = b['x'] == SP['dummy']
    assert not masked[:, :P].any() and torch.equal(b['x'][~masked], seq[~masked])
    assert torch.equal(masked, b['y'] >= 0) and torch.equal(b['y'][masked], seq[masked])  # loss on the masked tokens only
    # r ~ U(0,1) per graph: the number masked is uniform over 0..L (a fixed rate would make it binomial)
    counts = torch.bincount(masked.sum(1), minlength=L + 1).float() / len(seq)
    assert counts.tolist() == pytest.approx([1 / (L + 1)] * (L + 1), abs=0.02)
    again = objectives.mlm_batch(seq, cfg, torch.Generator().manual_seed(0))
    assert torch.equal(again['x'], b['x'])  # the draws are a function of the generator (exact resume)


def test_bidirectional_attention_is_really_bidirectional():
    seq = graphs(4)
    for objective, sees_later in (('mlm_u', True), ('forward', False)):
        cfg = cfg_for(objective)
        model = model_for(cfg)
        T = model.config.block_size
        assert model.config.causal is not sees_later and T == (P + L if sees_later else P + L - 1)
        changed = seq.clone()
        changed[:, T - 1] = (seq[:, T - 1] + 1) % 50  # the last token the model reads
        a, b = (model(s[:, :T])[0] for s in (seq, changed))
        assert torch.equal(a[:, :T - 1], b[:, :T - 1]) is not sees_later  # the positions before it


def plain_next_token_loop(next_logits, prefix, n):
    """Greedy decoding re-running the whole sequence each step: what every decoder must equal."""
    out = prefix
    for _ in range(n):
        out = torch.cat([out, next_logits(out).argmax(-1, keepdim=True)], dim=1)
    return out[:, prefix.size(1):]


@pytest.mark.parametrize('model_type', ['gpt', 'mamba'])
@pytest.mark.parametrize('objective', ['forward', 'reverse', 'mtp', 'top', 'bst'])
def test_token_by_token_decoding_equals_a_plain_loop(objective, model_type):
    cfg = cfg_for(objective, model_type=model_type, d_state=8)
    model = model_for(cfg, scale=4 if model_type == 'mamba' else 20)
    seq = graphs(32)
    if objective == 'bst':  # the next-token half, with the backward state of the empty suffix
        empty = objectives.bst_empty_suffix(model, len(seq), cfg, 'cpu')
        step = lambda s: objectives.bst_logits(model, model.hidden(s)[-1][:, -1], empty)[0]
    else:
        step = lambda s: model(s)[0][:, -1]
    with torch.no_grad():
        out = objectives.get(cfg).decode(model, seq, cfg)
        assert torch.equal(out, plain_next_token_loop(step, seq[:, :P], L))
        assert len(set(out.flatten().tolist())) > 5  # not one token everywhere
        # teacher-forced: the step's prediction after the true tokens
        truth = objectives.target(seq, cfg)
        written = torch.cat([seq[:, :P], truth], dim=1)
        slow = torch.stack([step(written[:, :P + k]).argmax(-1) for k in range(L)], 1)
        assert torch.equal(objectives.get(cfg).forced(model, seq, cfg), slow)


def test_teacherless_decoding_is_one_pass_over_dummies():
    cfg = cfg_for('teacherless')
    model = model_for(cfg, scale=20)
    seq = graphs(8)
    x = seq[:, :-1].clone()
    x[:, P:] = SP['dummy']
    with torch.no_grad():
        assert torch.equal(objectives.teacherless_decode(model, seq, cfg), model(x)[0][:, P - 1:].argmax(-1))


@pytest.mark.parametrize('decode', ['left_to_right', 'confidence'])
def test_mlm_u_decoding_equals_a_plain_loop(decode):
    cfg = cfg_for('mlm_u', decode=decode)
    model = model_for(cfg, scale=20)
    seq = graphs(32)
    x = seq.clone()
    x[:, P:] = SP['dummy']
    with torch.no_grad():
        for b in range(len(seq)):  # one graph at a time, one position per pass
            todo = list(range(L))
            while todo:
                probs = F.softmax(model(x[b:b + 1])[0][0, P:].float(), -1)  # (L, vocab)
                k = todo[0] if decode == 'left_to_right' else max(todo, key=lambda k: probs[k].max().item())
                x[b, P + k] = probs[k].argmax()
                todo.remove(k)
        assert torch.equal(objectives.mlm_decode(model, seq, cfg), x[:, P:])
        truth = seq.clone()
        slow = []
        for k in range(L):  # teacher-forced: the true tokens before k visible, k on masked
            truth[:, P + k:] = SP['dummy']
            slow.append(model(truth)[0][:, P + k].argmax(-1))
            truth[:, P:] = seq[:, P:]
        assert torch.equal(objectives.mlm_forced(model, seq, cfg), torch.stack(slow, 1))


def test_arm_accuracy_on_hand_made_outputs():
    seq = graphs(1)
    arms = {}  # s's children, then walk each arm
    edges = {seq[0, 3 * e].item(): seq[0, 3 * e + 1].item() for e in range(8)}
    s, g = seq[0, P - 3].item(), seq[0, P - 2].item()
    starts = [v for u, v in ((seq[0, 3 * e].item(), seq[0, 3 * e + 1].item()) for e in range(8)) if u == s]
    for a in starts:
        arm = [s, a]
        while arm[-1] in edges:
            arm.append(edges[arm[-1]])
        arms[arm[-1]] = arm
    right, wrong = arms[g], next(arm for leaf, arm in arms.items() if leaf != g)
    broken = right[:3] + wrong[3:]  # jumps arms half-way
    cheat = wrong[:-1] + [g]  # a wrong arm, then g copied from the prefix: what the Clever-Hans cheat writes
    paths = torch.tensor([right, wrong, cheat, broken, right[::-1], [g] * 5, [s] * 5])
    got = data.follows_an_arm(seq.expand(len(paths), -1), paths, 2, 5)
    assert got.tolist() == [True, True, True, False, False, False, False]


@pytest.mark.parametrize('objective,model_type', [(o, 'gpt') for o in objectives.OBJECTIVES] + [('bst', 'mamba'), ('mtp', 'mamba')])
def test_tiny_run_learns(tmp_path, objective, model_type):
    cfg = cfg_for(objective, model_type=model_type, d_state=8)
    cfg.update(out_dir=str(tmp_path), n_train=3000, n_test=200, max_iters=150, eval_interval=150, log_interval=50,
               eval_samples=0, n_layer=1, n_embd=32, batch_size=32, learning_rate=1e-2, warmup_iters=10, threads=1)
    rec = train.train(cfg)
    with open(tmp_path / 'log.jsonl') as f:
        first = json.loads(f.readline())
    assert rec["train_loss"] < 0.9 * math.log(54) * {"mixed": 2, "mtp": 4, "top": 2}.get(objective, 1)  # from log(vocab) per loss term
    # the first token written is copied from the prefix (s, or g for reverse): every objective learns that first
    assert rec['forced_acc'][0] > 0.9 and first['forced_acc'][0] < 0.2


def test_mlm_u_resume_is_exact(tmp_path, monkeypatch):
    """Its masks are drawn per step: a run stopped after its step-6 checkpoint and resumed draws the same ones."""
    cfg = cfg_for('mlm_u')
    cfg.update(n_train=1000, n_test=50, max_iters=12, eval_interval=6, log_interval=3, eval_samples=20, n_layer=1,
               n_embd=16, batch_size=16, threads=1)
    stop_then_resume(cfg, tmp_path, monkeypatch)


def test_mamba_cannot_run_the_bidirectional_objective(tmp_path):
    with pytest.raises(ValueError, match="objective='mlm_u' attends both ways, which a Mamba"):
        train.train(dict(cfg_for('mlm_u', model_type='mamba'), out_dir=str(tmp_path)))


def test_teacherless_reverse_is_both_halves_in_one_batch():
    cfg = cfg_for('teacherless_reverse')
    seq = graphs(4)
    b = objectives.get(cfg).batch(seq, cfg, None)
    marked, rev = b['x'].chunk(2)
    (y_tl, y_rev), path = b['y'].chunk(2), seq[:, P:]
    assert torch.equal(marked[:, :P - 1], seq[:, :P - 1]) and (marked[:, P - 1:] == SP['dummy']).all()  # '$' marks the task
    assert torch.equal(y_tl[:, P - 1:], path) and (y_tl[:, :P - 1] == -1).all()
    assert (rev[:, P - 1] == SP['eq']).all() and torch.equal(rev[:, P:], path.flip(1)[:, :-1])  # reverse, teacher-forced
    assert torch.equal(y_rev[:, P - 1:], path.flip(1)) and (y_rev[:, :P - 1] == -1).all()
    model = model_for(cfg, scale=20)
    with torch.no_grad():  # decoding: the teacherless half's input, one pass, s to g
        assert torch.equal(objectives.get(cfg).decode(model, seq, cfg), model(marked)[0][:, P - 1:].argmax(-1))
        assert torch.equal(objectives.target(seq, cfg), path)


class LookupOnly(torch.nn.Module):
    """A hand-made any-order model that knows only one-edge lookups. At a masked path position it
    copies s or g, or, where a neighbour is visible, predicts the parent of the token to its right
    (parents=True) or the child of the token to its left (children=True; s's d children share the
    probability); otherwise it is uniform over the labels."""

    def __init__(self, parents, children):
        super().__init__()
        self.knows_parents, self.knows_children, self.unused = parents, children, torch.nn.Parameter(torch.zeros(1))

    def forward(self, x):
        probs = torch.full((*x.shape, 54), 1e-3)
        for b in range(len(x)):
            edges = [(x[b, 3 * e].item(), x[b, 3 * e + 1].item()) for e in range(8)]
            parent = {v: u for u, v in edges}
            path = x[b, P:].tolist()
            for k in range(L):
                if path[k] != SP['dummy']:
                    continue
                right = path[k + 1] if k + 1 < L else SP['dummy']
                left = path[k - 1] if k else SP['dummy']
                if k in (0, L - 1):  # s surer than g: no ties in the confidence order
                    guess = {x[b, P - 3].item(): 1.0} if k == 0 else {x[b, P - 2].item(): 0.9}
                elif self.knows_parents and right != SP['dummy']:
                    guess = {parent[right]: 1.0}
                elif self.knows_children and left != SP['dummy']:
                    kids = [v for u, v in edges if u == left]
                    guess = {v: 1.0 / len(kids) for v in kids}
                else:
                    guess = {v: 1.0 / 50 for v in range(50)}
                for v, p in guess.items():
                    probs[b, P + k, v] = p
        return probs.log(), None


@pytest.mark.parametrize('parents,children', [(True, True), (True, False), (False, True)])
def test_mlm_u_probes_see_the_lookup_each_decoder_uses(parents, children):
    seq = graphs(120)
    res = {decode: objectives.evaluate(LookupOnly(parents, children), seq, cfg_for('mlm_u', decode=decode), torch.autocast('cpu', enabled=False))
           for decode in ('left_to_right', 'confidence')}
    for r in res.values():  # the teacher-forced views are the same for both decoders
        assert r['forced_acc_right'][1:L - 1] == pytest.approx([1.0 if parents else 0.02] * 3, abs=0.03)
        assert r['forced_acc'][2:L - 1] == pytest.approx([1.0 if children else 0.02] * 2, abs=0.03)
        assert r['forced_acc'][1] == pytest.approx(0.5 if children else 0.02, abs=0.1)  # s's children: a guess
    assert res['left_to_right']['fill_order'] == [1, 2, 3, 4, 5]
    if parents:  # goal-first: s, g, then each parent; the path is solved only by the confidence order
        assert res['confidence']['fill_order'] == [1, 5, 4, 3, 2] and res['confidence']['path_acc'] == 1.0
        assert res['left_to_right']['path_acc'] == pytest.approx(0.5 if children else 0.0, abs=0.1)
    else:  # no parent lookup: g is copied early, then the left-to-right chain from s's guessed child
        assert res['confidence']['fill_order'] == [1, 5, 2, 3, 4]
        assert res['confidence']['path_acc'] == pytest.approx(0.5, abs=0.1)
    for r in res.values():
        assert objectives.lookup_formed(r, cfg_for('mlm_u')) is True  # either direction counts


def test_hold_a1_drops_only_the_teacherless_a1_target_and_only_before_its_step(tmp_path):
    cfg = cfg_for('teacherless_reverse', a1_loss_from=5)
    obj, seq = objectives.get(cfg), graphs(4)
    plain = obj.batch(seq, cfg, None)
    early, late = obj.schedule(plain, cfg, 4, []), obj.schedule(plain, cfg, 5, [])
    assert torch.equal(early['x'], plain['x']) and torch.equal(late['y'], plain['y'])
    changed = (early['y'] != plain['y']).nonzero().tolist()
    assert changed == [[i, P] for i in range(4)] and (early['y'][:4, P] == -1).all()  # a1 of the teacherless rows, nothing else
    # train.py applies the schedule: the first step's loss is a mean over other targets
    run = dict(cfg, out_dir=str(tmp_path / 'hold'), n_train=200, n_test=20, max_iters=1, log_interval=1, eval_samples=0,
               batch_size=8, threads=1)
    held = train.train(run)['train_loss']
    assert held != train.train(dict(run, a1_loss_from=0, out_dir=str(tmp_path / 'plain')))['train_loss']
    # ... with the evaluations so far: an untrained model's slots are not 0.99 right, so a1_wait_acc holds a1 too
    assert held == train.train(dict(run, a1_loss_from=0, a1_wait_acc=0.99, out_dir=str(tmp_path / 'wait')))['train_loss']


@pytest.mark.parametrize('objective', ['teacherless_reverse', 'teacherless'])  # 4 graphs: rows 0-3 are teacherless in both
def test_a1_stand_in_asks_the_teacherless_a1_slot_for_a2_before_its_step(objective):
    cfg = cfg_for(objective, a1_loss_from=5, a1_stand_in='a2')
    obj, seq = objectives.get(cfg), graphs(4)
    plain = obj.batch(seq, cfg, None)
    early, late = obj.schedule(plain, cfg, 4, []), obj.schedule(plain, cfg, 5, [])
    assert torch.equal(late['y'], plain['y'])
    changed = (early['y'] != plain['y']).nonzero().tolist()
    assert changed == [[i, P] for i in range(4)]  # a1 of the teacherless rows, nothing else
    assert torch.equal(early['y'][:4, P], seq[:4, P + 2])  # now a2, the path's third token
    assert torch.equal(plain['y'][:4, P], seq[:4, P + 1])  # was a1


def test_a1_wait_acc_holds_a1_until_an_evaluation_finds_the_other_slots_learned():
    cfg = cfg_for('teacherless_reverse', a1_loss_from=5, a1_wait_acc=0.9)
    hops_forming = dict(iter=500, train_forced_acc=[1.0, 0.5, 0.3, 0.95, 1.0])  # a2 not yet learned; a1 is not asked
    hops_formed = dict(iter=1000, train_forced_acc=[1.0, 0.5, 0.92, 0.95, 1.0])
    assert objectives.a1_held(cfg, 4, [hops_formed])  # a1_loss_from still counts
    assert objectives.a1_held(cfg, 600, [hops_forming])
    assert not objectives.a1_held(cfg, 1000, [hops_forming, hops_formed])
    assert not objectives.a1_held(dict(cfg, a1_wait_acc=0.0), 600, [hops_forming])


def test_frontier_asks_the_a1_slot_for_the_next_hop_not_yet_learned():
    cfg = cfg_for('teacherless_reverse', a1_wait_acc=0.9, a1_stand_in='frontier')
    obj, seq = objectives.get(cfg), graphs(4)
    plain = obj.batch(seq, cfg, None)
    learned = lambda *acc: dict(iter=0, train_forced_acc=[1.0, 0.2, *acc, 1.0])  # s, a1, a2, a3, g
    for evals, node in [([], 3), ([learned(0.2, 0.3)], 3), ([learned(0.2, 0.95)], 2), ([learned(0.2, 0.95), learned(0.4, 0.5)], 2)]:
        y = obj.schedule(plain, cfg, 100, evals)['y']
        assert torch.equal(y[:4, P], seq[:4, P + node]) and torch.equal(y[4:], plain['y'][4:])  # a3, then a2
    assert obj.schedule(plain, cfg, 100, [learned(0.95, 0.95)]) is plain  # a2 and a3 learned: a1 itself
