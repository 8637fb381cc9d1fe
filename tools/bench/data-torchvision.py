#!/usr/bin/python3
"""The peer of tools/bench/data.mjs: PIL decode + a torchvision augmentation chain, one thread.

    /usr/bin/python3 tools/bench/data-torchvision.py make-images <dir> <seed>
        writes the benchmark's PNG and JPEG files (smooth synthetic scenes, RGB) at 28x28 and
        224x224 into <dir>/<size>/ and prints their list as JSON.
    /usr/bin/python3 tools/bench/data-torchvision.py images '<job as JSON>'
        job: {"files": [...], "size": 224, "minSeconds": 1.5, "rounds": 3}; times
        Image.open(f).convert('RGB') -> RandomResizedCrop(size) -> RandomHorizontalFlip()
        -> ColorJitter(0.4, 0.4, 0.4, 0.1) -> ToTensor() -> Normalize(ImageNet mean, std)
        over the files, repeated for at least minSeconds per round, and prints the best round's
        images per wall-clock second and per CPU-second of the process as JSON.

Run it pinned to one core (taskset -c 0), as data.mjs does.
"""
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
import torchvision
import torchvision.transforms as T

torch.set_num_threads(1)

SIZES = (28, 224)
PER_FORMAT = {28: 128, 224: 24}  # files per size and format


def scene(rng: np.random.Generator, size: int) -> np.ndarray:
    """A smooth, photo-like RGB scene: low-frequency waves, a gradient, a few discs, mild noise."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    img = np.zeros((size, size, 3), np.float32)
    for c in range(3):
        img[..., c] = 0.4 + 0.3 * (x * rng.uniform(-1, 1) + y * rng.uniform(-1, 1))
        for _ in range(3):
            fx, fy, ph = rng.uniform(0.5, 4), rng.uniform(0.5, 4), rng.uniform(0, 6.3)
            img[..., c] += 0.1 * np.sin(2 * np.pi * (fx * x + fy * y) + ph)
    for _ in range(4):
        cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.05, 0.3)
        disc = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        img[disc] = rng.uniform(0, 1, 3)
    img += rng.normal(0, 0.02, img.shape)
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


def make_images(folder: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    out = {}
    for size in SIZES:
        sub = os.path.join(folder, str(size))
        os.makedirs(sub, exist_ok=True)
        files = []
        for i in range(PER_FORMAT[size]):
            for fmt, ext, kw in (('PNG', 'png', {}), ('JPEG', 'jpg', {'quality': 90})):
                path = os.path.join(sub, f'{i:04d}.{ext}')
                Image.fromarray(scene(rng, size)).save(path, fmt, **kw)
                files.append(path)
        out[str(size)] = files
    print(json.dumps(out))


def time_images(job: dict) -> None:
    size = job['size']
    chain = T.Compose([
        T.RandomResizedCrop(size),
        T.RandomHorizontalFlip(),
        T.ColorJitter(0.4, 0.4, 0.4, 0.1),
        T.ToTensor(),
        T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    files = job['files']

    def one_pass() -> None:
        for f in files:
            with Image.open(f) as im:
                chain(im.convert('RGB'))

    one_pass()  # warm-up: page cache, lazy imports
    best, best_cpu = 0.0, 0.0
    for _ in range(job.get('rounds', 3)):
        count, start, cpu_start = 0, time.perf_counter(), time.process_time()
        while True:
            one_pass()
            count += len(files)
            elapsed = time.perf_counter() - start
            if elapsed >= job.get('minSeconds', 1.5):
                break
        best = max(best, count / elapsed)
        best_cpu = max(best_cpu, count / max(1e-9, time.process_time() - cpu_start))
    print(json.dumps({
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'imagesPerSecond': best,
        'imagesPerCpuSecond': best_cpu,  # per CPU-second of the process, all threads
    }))


if __name__ == '__main__':
    if sys.argv[1] == 'make-images':
        make_images(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == 'images':
        time_images(json.loads(sys.argv[2]))
    else:
        sys.exit(f'unknown command {sys.argv[1]!r}: make-images or images')
