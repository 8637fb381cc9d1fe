import { randomFillSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, readSafetensors, writeSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';

let dir: string;
let path: string;
let file: Buffer;
let headerLength: number;
const tensors: Record<string, SafetensorsTensor> = {
  'conv/kernel': { dtype: 'F32', shape: [3, 3, 2, 4], data: Float32Array.from({ length: 72 }, () => Math.random() - 0.5) },
  'conv/bias': { dtype: 'F32', shape: [4], data: Float32Array.from({ length: 4 }, () => Math.random()) },
  'step': { dtype: 'I64', shape: [], data: randomFillSync(new BigInt64Array(1)) },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-read-'));
  path = join(dir, 'model.safetensors');
  await writeSafetensors(path, tensors, { epoch: '7' });
  file = await readFile(path);
  headerLength = Number(file.readBigUInt64LE(0));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readError(target: string): Promise<CheckpointError> {
  const error = await readSafetensors(target).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}

describe('readSafetensors', () => {
  it('reads back what writeSafetensors wrote, as views of one aligned buffer', async () => {
    const { tensors: read, metadata } = await readSafetensors(path);
    expect(read).toEqual(tensors);
    expect(metadata['epoch']).toBe('7');
    const buffers = new Set(Object.values(read).map((t) => t.data.buffer));
    expect(buffers.size).toBe(1);
  });

  it('rejects a file truncated anywhere, naming the file and saying it is truncated', async () => {
    const dataStart = 8 + headerLength;
    const cuts = [0, 1, 5, 8, 8 + 1, 8 + Math.floor(headerLength / 2), dataStart - 1, dataStart, dataStart + 1,
      dataStart + Math.floor((file.byteLength - dataStart) / 2), file.byteLength - 1];
    for (const cut of cuts) {
      const truncated = join(dir, `cut-${cut}.safetensors`);
      await writeFile(truncated, file.subarray(0, cut));
      const error = await readError(truncated);
      expect(error.message, `cut at ${cut}`).toContain(`(file ${truncated}`);
      expect(error.hint, `cut at ${cut}`).toMatch(/^the file is truncated/);
    }
  });

  it('rejects a flipped data byte by its checksum, naming the file', async () => {
    const corrupt = join(dir, 'corrupt.safetensors');
    const copy = Buffer.from(file);
    copy[8 + headerLength + Math.floor(Math.random() * (copy.byteLength - 8 - headerLength))]! ^= 0x01;
    await writeFile(corrupt, copy);
    const error = await readError(corrupt);
    expect(error.message).toMatch(/expected data with CRC-32 [0-9a-f]{8} \(omnitrain\.crc32\), got CRC-32 [0-9a-f]{8}/);
    expect(error.where).toBe(`file ${corrupt}`);
    await expect(readSafetensors(corrupt, { verify: false })).resolves.toBeDefined();
  });

  it('says which file is missing', async () => {
    const missing = join(dir, 'nope.safetensors');
    const error = await readError(missing);
    expect(error.message).toMatch(/^checkpoint\.read: expected a readable file, got ENOENT .*\(file .*nope\.safetensors\)/);
  });
});
