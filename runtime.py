"""
Where and in what precision a run computes: the device, the autocast dtype
(dtype='auto' is a fixed rule, below), and the autocast context; and the one
way every script writes a file (save_atomically). Used by train.py, sample.py,
bench.py, sweep.py and plot.py.
"""
import os
from contextlib import nullcontext

import torch


def pick_device(device):
    if device != 'auto':
        return device
    if torch.cuda.is_available():
        return 'cuda'
    return 'mps' if torch.backends.mps.is_available() else 'cpu'


# bf16 on a CPU pays only with AMX tiles and only for wide matrices: on a 2-core AMX CPU the authors' width 384
# stepped ~2x faster in bf16 and width 96-192 slower; without AMX, bf16 was slower at every width (LOG.md, 'Speed').
BF16_MIN_WIDTH_CPU = 384  # narrowest GPT width measured faster in bf16 than in fp32 on an AMX CPU


def pick_dtype(dtype, device, model_type='gpt', n_embd=BF16_MIN_WIDTH_CPU):
    """The dtype to autocast to. 'auto' is a fixed rule, never a timing taken at start-up (runs would
    then differ by machine load): bf16 on CUDA (fp16 where bf16 is not supported); on a CPU, bf16
    only for a GPT of width >= BF16_MIN_WIDTH_CPU on a CPU with AMX (figures above); else fp32."""
    if dtype != 'auto':
        return dtype
    if device.startswith('cuda'):
        return 'bfloat16' if torch.cuda.is_bf16_supported() else 'float16'
    wide_gpt = model_type == 'gpt' and n_embd >= BF16_MIN_WIDTH_CPU
    return 'bfloat16' if device == 'cpu' and cpu_has_amx() and wide_gpt else 'float32'


def cpu_has_amx():
    try:
        with open('/proc/cpuinfo') as f:
            return ' amx_bf16' in f.read()
    except OSError:  # not Linux
        return False


def save_atomically(path, write):
    """write(file) to a temporary file, then rename it over `path`: the old file stays
    complete until the new one is (checkpoints, logs, tables, figures, data files)."""
    with open(path + '.tmp', 'wb') as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())  # a power cut after the rename must not leave an empty file
    os.replace(path + '.tmp', path)


def save_text(path, text):
    save_atomically(path, lambda f: f.write(text.encode()))


def autocast(device, dtype):
    if dtype == 'float32':
        return nullcontext()
    return torch.autocast(device_type=device.split(':')[0], dtype=getattr(torch, dtype))
