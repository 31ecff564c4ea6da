"""
Show a trained model's paths on test graphs, or score it on a file.

$ python sample.py --out_dir=out/star_d2_l5               # 5 test graphs, true vs model path
$ python sample.py --out_dir=out/star_d2_l5 --num_samples=10
$ python sample.py --out_dir=out/star_d2_l5 --data=path/to/authors_deg_2_path_5_nodes_50_test_20000.txt
$ python sample.py --out_dir=out/star_d2_l3_teacherless --data=test   # the run's whole held-out split
$ python sample.py --out_dir=out/star_d2_l5_mlm_u --decode=left_to_right   # mlm_u: the other decoding

The graph settings (deg, path_len, num_nodes, objective, seed) come from the
checkpoint; the test split is regenerated from its seed. A wrong node is
marked with *, the first wrong one with brackets.
"""
import sys


import data
import objectives
from runtime import autocast, pick_device, pick_dtype
from train import CHOICES, build_model, load_checkpoint, load_config

DEFAULTS = dict(
    out_dir='out',       # directory holding ckpt.pt
    data='',             # a file in the authors' format, or 'test' (the run's whole test split): report its path accuracy
    num_samples=5,       # test graphs to show
    device='auto',       # 'auto', 'cpu', 'cuda', 'mps'
    dtype='checkpoint',  # 'checkpoint' (the dtype the run evaluated in), 'auto', 'float32', 'bfloat16', 'float16'
    decode='checkpoint', # mlm_u: 'checkpoint' (the run's own), 'left_to_right' or 'confidence'
)


def show(model, seq, cfg, ctx):
    """Print each graph's true path and the model's, marking errors."""
    with ctx:
        out = objectives.get(cfg).decode(model, seq.to(next(model.parameters()).device), cfg).cpu()
    paths = objectives.target(seq, cfg)
    for line, true, pred in zip(data.to_text(seq, cfg['deg'], cfg['path_len']), paths.tolist(), out.tolist()):
        marks, first = [], True
        for t, p in zip(true, pred):
            if t == p:
                marks.append(str(p))
            else:
                marks.append(f'[{p}]' if first else f'{p}*')
                first = False
        print(line.split('=')[0])
        print(f"  true  {','.join(map(str, true))}")
        print(f"  model {','.join(marks)}   {'ok' if true == pred else 'WRONG'}")


def main(argv):
    choices = dict(CHOICES, dtype=('checkpoint',) + CHOICES['dtype'], decode=('checkpoint',) + CHOICES['decode'])
    opts = load_config(argv, DEFAULTS, choices)
    ckpt = load_checkpoint(f"{opts['out_dir']}/ckpt.pt")
    cfg = ckpt['config'] if opts['decode'] == 'checkpoint' else dict(ckpt['config'], decode=opts['decode'])
    dev = pick_device(opts['device'])
    # the run's own dtype by default: 'auto' can resolve differently on another machine, and bf16 moves a few argmaxes
    if opts['dtype'] == 'checkpoint':
        dtype = ckpt.get('dtype', 'float32')
    else:
        dtype = pick_dtype(opts['dtype'], dev, cfg['model_type'], cfg['n_embd'])
    if dtype == 'float16' and not dev.startswith('cuda'):
        raise ValueError(f"dtype float16 (from the checkpoint or --dtype) needs a CUDA device, not {dev!r}; "
                         "pass --dtype=float32 or --dtype=bfloat16")
    ctx = autocast(dev, dtype)
    model = build_model(cfg)
    model.load_state_dict(ckpt['model'])
    model.to(dev).eval()
    print(f"{opts['out_dir']}/ckpt.pt: {cfg['model_type']} at iter {ckpt['iter_num']}, "
          f"G({cfg['deg']},{cfg['path_len']}) over {cfg['num_nodes']} labels, objective {cfg['objective']}"
          + (f" (decode {cfg['decode']})" if objectives.get(cfg).bidirectional else '') + f", dtype {dtype}")
    if opts['data'] and opts['data'] != 'test':
        seq = data.read_text(opts['data'], cfg['deg'], cfg['path_len'], cfg['num_nodes'])
    else:  # the run's own test split, regenerated from its seed
        _, seq = data.make_splits(cfg['deg'], cfg['path_len'], cfg['num_nodes'], 0, cfg['n_test'], cfg['seed'])
    if opts['data']:
        res = objectives.evaluate(model, seq, cfg, ctx)
        print(f"{opts['data']}: {len(seq)} graphs, path_acc {res['path_acc']:.4f}, arm_acc {res['arm_acc']:.3f}, "
              f"forced_acc {' '.join(f'{a:.3f}' for a in res['forced_acc'])}, "
              f"gen_acc {' '.join(f'{a:.3f}' for a in res['gen_acc'])}")
        return res
    show(model, seq[:opts['num_samples']], cfg, ctx)


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except ValueError as e:
        sys.exit(f"error: {e}")
