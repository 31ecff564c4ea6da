"""
Config loading, nanoGPT-style: Python config files, then --key=value overrides,
checked against a dict of defaults (train.py's globals, sample.py's, bench.py's).

$ python train.py config/star_d2_l5.py --max_iters=2000 --device=cpu

A config file is Python; its top-level names set the keys. An unknown key, a
value of the wrong type, a value outside its allowed choices, or an unreadable
file is a one-line ValueError naming it (the scripts print it as `error: ...`).
"""
import ast
import math
import os
import traceback


def one_line(e):  # every error we report is one line
    return f"{type(e).__name__}: {(str(e).splitlines() or [''])[0][:200]}"


def check_value(key, value, default, where, choices):
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        ok = type(value) is type(default)
    else:  # an int where a float is expected is fine
        ok = type(value) is int or (isinstance(default, float) and type(value) is float)
    if not ok:
        raise ValueError(f"{where}: {key}={value!r} has type {type(value).__name__}, expected {type(default).__name__}")
    if isinstance(value, float) and not math.isfinite(value):  # --learning_rate=1e999
        raise ValueError(f"{where}: {key}={value!r} is not a finite number")
    if key in choices and value not in choices[key]:
        raise ValueError(f"{where}: {key}={value!r} is not one of {', '.join(map(repr, choices[key]))}")


def load_config(argv, defaults, choices, ignore_unknown_in_files=False):
    """Config files then --key=value overrides of `defaults` -> dict. Unknown
    keys, wrong types and unreadable files raise a one-line ValueError naming them
    (ignore_unknown_in_files: a config file's keys not in defaults are skipped)."""
    cfg = dict(defaults)
    for arg in argv:
        where = arg if arg.isprintable() else repr(arg)  # a newline in an argument must not split the message
        if not arg.startswith('--'):  # a Python config file: its top-level names
            if not os.path.isfile(arg):
                raise ValueError(f"config file {arg!r} not found")
            ns = {}
            try:
                with open(arg) as f:
                    exec(f.read(), ns)  # its frames are named '<string>'
            except Exception as e:  # any error in the file, with its line number
                lines = [fr.lineno for fr in traceback.extract_tb(e.__traceback__) if fr.filename == '<string>']
                lines += [e.lineno] if isinstance(e, SyntaxError) and e.lineno else []
                raise ValueError(f"{where}{f':{lines[-1]}' if lines else ''}: {one_line(e)}")
            items = [(k, v) for k, v in ns.items() if not k.startswith('_') and not isinstance(v, type(os))
                     and (k in cfg or not ignore_unknown_in_files)]
        else:
            key, sep, raw = arg[2:].partition('=')
            if not sep:
                raise ValueError(f"{where}: expected --key=value")
            try:
                value = ast.literal_eval(raw)
            except Exception:  # not a Python literal (SyntaxError, ValueError, RecursionError...): a bare string, --device=cpu
                value = raw
            items = [(key, value)]
        for key, value in items:
            if key not in cfg:
                raise ValueError(f"{where}: unknown config key {key!r}")
            check_value(key, value, cfg[key], where, choices)
            cfg[key] = float(value) if isinstance(cfg[key], float) else value
    return cfg
