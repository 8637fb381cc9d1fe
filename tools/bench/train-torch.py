#!/usr/bin/python3
"""PyTorch peer of tools/bench/train.mjs: the six reference models of BENCHMARKS.md, built exactly as
tools/bench/train-models.mjs builds them in tfjs, trained with Adam 1e-3 and softmax cross-entropy on
one thread. Run by train.mjs as
  taskset -c 0 /usr/bin/python3 tools/bench/train-torch.py --model cnn --seconds 5 --warmup 2
with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_NUM_THREADS=1.
Prints `warm <seconds>` after the first step and `RESULT {json}` at the end (samplesPerSec on the wall
clock, cpuSamplesPerSec on this process's CPU time, which other work on the core does not inflate).

The fastest fair one-thread configuration (what a competent PyTorch user gets on one core), found
2026-11-28 with each setting measured alone on CPU time, PyTorch 1.13.1 (Debian), AMD EPYC, load 4-6:
- glibc malloc kept from returning freed memory to the OS (mallopt M_MMAP_THRESHOLD and M_TRIM_THRESHOLD,
  set below before torch allocates; the same effect as the LD_PRELOAD jemalloc / tcmalloc that PyTorch's
  CPU performance guide recommends; neither is installed here). This was the "odd" 2,200 vs 7,800-8,600
  cnn samples/s: with glibc's dynamic mmap threshold, an activation or gradient buffer over the threshold
  is mmap'ed and unmapped on every step, so every step page-faults and zeroes fresh pages (system time
  1.3-1.7 s of 5 s). Whether a run lands in that mode depends on the order of the first frees, so runs
  were bimodal: cnn 1,634 vs 7,500 samples per CPU-second, audio2d 167-320 vs 1,013, same script.
- channels_last memory format for the conv2d models (cnn, audio2d), as the performance guide recommends
  with oneDNN: cnn 10,350-11,800 vs 7,400-7,560, audio2d 1,448 vs 814-1,013 samples per CPU-second.
- Adam with foreach=True: the single-tensor default runs 3-4x slower on this build.
- Kept as they are: oneDNN (mkldnn) enabled (disabling it: cnn 5,300-5,600, audio2d 624); one intra-op
  and one inter-op thread, set after import (OMP_NUM_THREADS=1 in the environment as well); no
  set_flush_denormal (no effect: cnn 7,490-7,570); loss.item() every step (no measurable cost, and the
  tfjs side reads its loss too).
`--plain` drops the malloc setting and channels_last (to reproduce the untuned figures)."""
import sys

PLAIN = '--plain' in sys.argv
if not PLAIN:
    import ctypes

    _libc = ctypes.CDLL('libc.so.6')
    _libc.mallopt(-3, 1 << 30)  # M_MMAP_THRESHOLD: serve buffers up to 1 GiB from the heap, not fresh mmaps
    _libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: do not hand freed heap back to the OS every step

import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2, self.d3 = nn.Linear(784, 512), nn.Linear(512, 512), nn.Linear(512, 10)

    def forward(self, x):
        return self.d3(F.relu(self.d2(F.relu(self.d1(x)))))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.d = nn.Conv2d(1, 16, 3), nn.Conv2d(16, 32, 3), nn.Linear(5 * 5 * 32, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        return self.d(h.flatten(1))


class Transformer(nn.Module):
    def __init__(self, T=32, D=64, H=2):
        super().__init__()
        self.T, self.D, self.H, self.dh = T, D, H, D // H
        self.tok = nn.Embedding(1000, D)
        self.pos = nn.Parameter(torch.randn(T, D) * 0.02)
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.f1, self.f2 = nn.Linear(D, 256), nn.Linear(256, D)
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.out = nn.Linear(D, 10)

    def forward(self, ids):
        b = ids.shape[0]
        x = self.tok(ids) + self.pos  # [b, T, D]
        heads = lambda t: t.view(b, self.T, self.H, self.dh).transpose(1, 2)
        att = torch.softmax(heads(self.q(x)) @ heads(self.k(x)).transpose(-1, -2) / math.sqrt(self.dh), -1)
        ctx = (att @ heads(self.v(x))).transpose(1, 2).reshape(b, self.T, self.D)
        h1 = self.ln1(x + self.o(ctx))
        h2 = self.ln2(h1 + self.f2(F.gelu(self.f1(h1), approximate='tanh')))
        return self.out(h2.mean(1))


class Gru(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb, self.gru, self.out = nn.Embedding(1000, 64), nn.GRU(64, 64, batch_first=True), nn.Linear(64, 10)

    def forward(self, ids):
        _, h = self.gru(self.emb(ids))
        return self.out(h[0])


class Audio2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.c3 = nn.Conv2d(1, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
        self.d = nn.Linear(64, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        return self.d(F.relu(self.c3(h)).mean((2, 3)))


class Audio1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.d = nn.Conv1d(64, 128, 3, padding=1), nn.Conv1d(128, 128, 3, padding=1), nn.Linear(128, 10)

    def forward(self, x):  # x [b, 64 mel, 64 frames]
        h = F.max_pool1d(F.relu(self.c1(x)), 2)
        return self.d(F.relu(self.c2(h)).mean(2))


# name -> (model class, batch, input maker); PyTorch's native layouts (NCHW, NCL).
MODELS = {
    'mlp': (Mlp, 128, lambda b: torch.randn(b, 784)),
    'cnn': (Cnn, 128, lambda b: torch.randn(b, 1, 28, 28)),
    'transformer': (Transformer, 64, lambda b: torch.randint(0, 1000, (b, 32))),
    'gru': (Gru, 64, lambda b: torch.randint(0, 1000, (b, 32))),
    'audio2d': (Audio2d, 64, lambda b: torch.randn(b, 1, 64, 64)),
    'audio1d': (Audio1d, 64, lambda b: torch.randn(b, 64, 64)),
}


def training_step(model, x, y, name):
    """One Adam 1e-3 step of softmax cross-entropy on (x, y), as a function; raises on a non-finite loss.
    Also the step of tools/bench/scaling-ddp.py (model there a DistributedDataParallel)."""
    adam = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)  # the single-tensor default runs 3-4x slower here

    def step():
        adam.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        adam.step()
        v = loss.item()
        if not math.isfinite(v):
            raise RuntimeError(f'{name}: loss {v}')

    return step


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', required=True, choices=sorted(MODELS))
    p.add_argument('--seconds', type=float, default=5)
    p.add_argument('--warmup', type=float, default=2)
    p.add_argument('--plain', action='store_true', help='no malloc setting, no channels_last (untuned)')
    a = p.parse_args()
    cls, batch, make = MODELS[a.model]
    torch.manual_seed(0)
    model = cls()
    x = make(batch)
    channels_last = x.dim() == 4 and not a.plain
    if channels_last:  # conv2d models: oneDNN's preferred layout, 1.4-1.8x here
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (batch,))
    step = training_step(model, x, y, a.model)

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    print(f'warm {first}', flush=True)
    tw = time.perf_counter()
    while time.perf_counter() - tw < a.warmup:
        step()
    steps = 0
    tm = time.perf_counter()
    cm = time.process_time()
    while True:
        step()
        steps += 1
        if time.perf_counter() - tm >= a.seconds:
            break
    el = time.perf_counter() - tm
    cpu = time.process_time() - cm
    res = {'samplesPerSec': steps * batch / el, 'cpuSamplesPerSec': steps * batch / cpu, 'steps': steps, 'seconds': el,
           'cpuSeconds': cpu, 'stepMs': el * 1000 / steps, 'channelsLast': channels_last, 'tunedMalloc': not a.plain,
           'firstStepS': first, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
           'blas': blas()}
    print('RESULT ' + json.dumps(res), flush=True)


def blas():
    try:
        with open('/proc/self/maps') as f:
            libs = {l.split()[-1] for l in f if 'blas' in l.lower()}
        return sorted(libs)
    except OSError:
        return []


if __name__ == '__main__':
    sys.exit(main())
