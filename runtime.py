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


# bf16 on a CPU pays only with AMX tiles and only for wide matrices. Measured on a 2-core CPU with AMX and
# reported in issue 12 (python bench.py CONFIG --dtype=X --compare_mamba=False, fp32 and bf16 alternated), ms/step fp32 vs bf16:
# width 96 (core GPT) 32.8-35.5 vs 49.7-50.7; width 128, G(5,5), batch 256: 717 vs 822; width 192, batch 128:
# 777 vs 988; width 384 (the authors' 6 x 384, batch 256): bf16 1,168, about 2x the fp32 rate (bf16 matmul
# peak 1,993 GFLOP/s vs fp32 300). Mamba (core config): 165 in bf16 vs 78 in fp32: its scan is elementwise.
# Without AMX, bf16 matmuls ran at half the fp32 rate on a Xeon with AVX-512 bf16 (165 vs 305 GFLOP/s) and at
# 1/15 of the fp32 step on an AMD EPYC with AVX2 only (bench.py: 906.5 vs 60.9 ms/step): fp32 for every model.
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
