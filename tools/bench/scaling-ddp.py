#!/usr/bin/python3
"""PyTorch DistributedDataParallel peer of tools/bench/scaling.mjs: one rank of a 1- or 2-process run of a
reference model (the models, inputs and tuning of tools/bench/train-torch.py: one thread, tuned malloc,
channels_last for conv2d, Adam foreach), weak scaling (every rank trains on the model's batch). With 2
processes the model is wrapped in DDP over Gloo on loopback TCP (its default 25 MB buckets, all-reduce
overlapped with the backward pass in Gloo's own thread), as a PyTorch user would run it with torchrun.
scaling.mjs starts each rank pinned to its core (taskset -c <rank>, its own session), as it starts its own.

Usage: /usr/bin/python3 scaling-ddp.py --model mlp --rank R --world N --port P [--seconds 5] [--warmup 2]
Rank 0 times 5 steps after the first and broadcasts the step counts, so every rank takes the same steps. Every rank prints
`RESULT {json}`: its measured steps, batch, wall window (from a barrier to a barrier) and CPU seconds.
"""
import importlib.util
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('train_torch', os.path.join(HERE, 'train-torch.py'))
train_torch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train_torch)  # tuned malloc and one thread, before any tensor exists

import argparse  # noqa: E402

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', required=True, choices=sorted(train_torch.MODELS))
    p.add_argument('--rank', type=int, required=True)
    p.add_argument('--world', type=int, required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--seconds', type=float, default=5)
    p.add_argument('--warmup', type=float, default=2)
    a = p.parse_args()
    cls, batch, make = train_torch.MODELS[a.model]
    torch.manual_seed(0)
    model = cls()
    torch.manual_seed(1 + a.rank)  # each rank its own shard of the global batch
    x = make(batch)
    if x.dim() == 4:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (batch,))
    distributed = a.world > 1
    if distributed:
        dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{a.port}', rank=a.rank, world_size=a.world)
        model = torch.nn.parallel.DistributedDataParallel(model)  # broadcasts rank 0's weights
    step = train_torch.training_step(model, x, y, f'{a.model} rank {a.rank}')

    step()  # the first step allocates and warms the caches
    t0 = time.perf_counter()
    for _ in range(5):
        step()
    step_s = (time.perf_counter() - t0) / 5
    plan = torch.tensor([max(2, math.ceil(a.warmup / step_s)), max(3, math.ceil(a.seconds / step_s))], dtype=torch.int64)
    if distributed:
        dist.broadcast(plan, 0)
    warmup_steps, steps = int(plan[0]), int(plan[1])
    for _ in range(warmup_steps):
        step()
    if distributed:
        dist.barrier()
    tm, cm = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    if distributed:
        dist.barrier()
    el, cpu = time.perf_counter() - tm, time.process_time() - cm
    print('RESULT ' + json.dumps({'rank': a.rank, 'world': a.world, 'batch': batch, 'steps': steps, 'seconds': el, 'cpuSeconds': cpu,
                                  'torch': torch.__version__}), flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == '__main__':
    sys.exit(main())
