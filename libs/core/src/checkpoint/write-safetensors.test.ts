import { randomFillSync } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, readSafetensors, writeSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-write-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function randomWeights(count: number): Record<string, SafetensorsTensor> {
  return { w: { dtype: 'F32', shape: [count], data: Float32Array.from({ length: count }, () => Math.random() * 2 - 1) } };
}

describe('writeSafetensors', () => {
  it('reports progress up to the file size and leaves only the target behind', async () => {
    const path = join(dir, 'progress.safetensors');
    const seen: Array<[number, number]> = [];
    const big = { w: { dtype: 'F32', shape: [10_000_000], data: randomFillSync(new Float32Array(10_000_000)) } } as const;
    const size = await writeSafetensors(path, big, {}, {
      onProgress: (written, total) => seen.push([written, total]),
    });
    expect(seen.length).toBeGreaterThan(2); // 40 MB is written in several pieces
    expect(seen.every(([, total]) => total === size)).toBe(true);
    expect(seen.map(([w]) => w)).toEqual([...seen.map(([w]) => w)].sort((a, b) => a - b));
    expect(seen.at(-1)![0]).toBe(size);
    expect((await readFile(path)).byteLength).toBe(size);
    expect(await readdir(dir)).toEqual(['progress.safetensors']);
  });

  it('replaces a checkpoint whole, and keeps it when the new one is invalid or cannot be written', async () => {
    const path = join(dir, 'keep.safetensors');
    const first = randomWeights(100);
    await writeSafetensors(path, first, { v: '1' });
    const second = randomWeights(50);
    await writeSafetensors(path, second, { v: '2' });
    expect((await readSafetensors(path)).tensors).toEqual(second);

    const invalid = { w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } } as const;
    await expect(writeSafetensors(path, invalid, { v: '3' })).rejects.toThrow(
      /^checkpoint\.encode: expected 3 elements for shape \[3\], got 2 elements \(file .*keep\.safetensors, tensor "w"\)$/,
    );
    expect(await readSafetensors(path)).toMatchObject({ tensors: second, metadata: { v: '2' } });
  });

  it('names the file when its directory does not exist', async () => {
    const path = join(dir, 'no', 'such', 'dir', 'x.safetensors');
    const error = await writeSafetensors(path, randomWeights(4)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(
      /^checkpoint\.write: expected to write a temporary file beside the target and rename it over the target, got ENOENT .*\(file .*x\.safetensors\)\. Hint: create the directory first; any previous file at this path is intact$/,
    );
  });
});
