#!/usr/bin/python3
"""PyTorch peer of tools/bench/quality.mjs: trains, on the digits image pixels that quality.mjs exports
(train_x.f32 [n, 28, 28, 1] float32, train_y.i32, test_x.f32, test_y.i32 in --data), the same models
with the same optimizer, init scheme and epochs as the Omnitrain side:
  cnn: conv 8 3x3 valid relu -> maxpool 2 -> conv 16 3x3 valid relu -> maxpool 2 -> flatten -> linear 10
       (the Omnitrain `cnn` encoder with filters [8, 16] + a linear layer)
  mlp: 784 -> linear 128 relu -> linear 10
Glorot (Xavier) uniform weights, zero biases; Adam (--lr), softmax cross-entropy (mean), mini-batches of
--batch reshuffled every epoch, last batch partial. One thread.
With --paired, also one paired run per seed: started from the Omnitrain run's initial weights and fed its
batch order (--data/<model>-<seed>/init.json: params [{name, shape}] stored as p<i>.f32 in tfjs layouts,
and order: the train-row indices of every batch, all epochs in turn), so only the arithmetic differs.
Prints `RESULT {"accuracy": mean, "accuracies": [...per seed], "pairedAccuracies": [...], ...}`."""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def load(folder, name, dtype, shape):
    return np.fromfile(os.path.join(folder, name), dtype=dtype).reshape(shape)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.d = nn.Conv2d(1, 8, 3), nn.Conv2d(8, 16, 3), nn.Linear(5 * 5 * 16, 10)

    def forward(self, x):  # x [b, 28, 28, 1] (NHWC as exported) -> NCHW
        h = x.permute(0, 3, 1, 2)
        h = F.max_pool2d(F.relu(self.c1(h)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        return self.d(h.permute(0, 2, 3, 1).flatten(1))  # flattened in NHWC order, as tfjs does


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2 = nn.Linear(784, 128), nn.Linear(128, 10)

    def forward(self, x):
        return self.d2(F.relu(self.d1(x.reshape(x.shape[0], 784))))


def init_glorot(model):
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def load_tfjs_params(model, folder):
    """Copies the tfjs parameters (conv [kh, kw, in, out], dense [in, out], in model order) into `model`."""
    with open(os.path.join(folder, 'init.json')) as f:
        meta = json.load(f)
    params = list(model.parameters())
    if len(params) != len(meta['params']):
        raise SystemExit(f'{folder}: {len(meta["params"])} tfjs parameters for {len(params)} torch parameters')
    with torch.no_grad():
        for i, (p, m) in enumerate(zip(params, meta['params'])):
            v = torch.from_numpy(load(folder, f'p{i}.f32', np.float32, m['shape']))
            if v.dim() == 4:
                v = v.permute(3, 2, 0, 1)
            elif v.dim() == 2:
                v = v.t()
            if tuple(v.shape) != tuple(p.shape):
                raise SystemExit(f'{folder}: {m["name"]} has shape {tuple(v.shape)} after transposing, torch wants {tuple(p.shape)}')
            p.copy_(v)
    return meta['order']


def train_and_test(model, a, xtr, ytr, xte, yte, order=None):
    adam = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = order if order is not None else None
    for epoch in range(a.epochs):
        model.train()
        if order is None:
            perm = torch.randperm(len(ytr))
            batches = [perm[i:i + a.batch] for i in range(0, len(ytr), a.batch)]
        else:
            per = len(order) // a.epochs
            batches = [torch.tensor(b, dtype=torch.int64) for b in steps[epoch * per:(epoch + 1) * per]]
        total = 0.0
        for idx in batches:
            adam.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            adam.step()
            total += loss.item() * len(idx)
        print(f'epoch {epoch + 1}/{a.epochs} loss {total / len(ytr):.4f}', file=sys.stderr, flush=True)
    model.eval()
    with torch.no_grad():
        return float((model(xte).argmax(1) == yte).float().mean())


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True)
    p.add_argument('--model', required=True, choices=['cnn', 'mlp'])
    p.add_argument('--epochs', type=int, default=8)
    p.add_argument('--seeds', type=int, default=2)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--paired', action='store_true')
    a = p.parse_args()
    ytr = torch.from_numpy(load(a.data, 'train_y.i32', np.int32, (-1,)).astype(np.int64))
    yte = torch.from_numpy(load(a.data, 'test_y.i32', np.int32, (-1,)).astype(np.int64))
    xtr = torch.from_numpy(load(a.data, 'train_x.f32', np.float32, (len(ytr), 28, 28, 1)))
    xte = torch.from_numpy(load(a.data, 'test_x.f32', np.float32, (len(yte), 28, 28, 1)))
    accs, paired, seconds = [], [], 0.0
    make = Cnn if a.model == 'cnn' else Mlp
    for seed in range(a.seeds):
        torch.manual_seed(seed)
        model = make()
        init_glorot(model)
        t0 = time.perf_counter()
        accs.append(train_and_test(model, a, xtr, ytr, xte, yte))
        seconds += time.perf_counter() - t0
        if a.paired:
            model = make()
            order = load_tfjs_params(model, os.path.join(a.data, f'{a.model}-{seed}'))
            paired.append(train_and_test(model, a, xtr, ytr, xte, yte, order))
    print('RESULT ' + json.dumps({'accuracy': sum(accs) / len(accs), 'accuracies': accs, 'pairedAccuracies': paired, 'seconds': seconds,
                                  'torch': torch.__version__, 'epochs': a.epochs, 'batch': a.batch, 'lr': a.lr}), flush=True)


if __name__ == '__main__':
    sys.exit(main())
