import { randomFillSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  loadWeights,
  safetensorsToTensor,
  saveWeights,
  tensorToSafetensors,
  writeSafetensors,
} from '@omnitrain/core';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-tf-weights-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function buildModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ name: 'conv', inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.batchNormalization({ name: 'bn' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ name: 'head', units: 5, activation: 'softmax' }));
  return model;
}

describe('saveWeights / loadWeights', () => {
  it('round-trips a layers model: a fresh model loaded from the file predicts exactly the same', async () => {
    const model = buildModel();
    // Random values everywhere (biases and batch-norm statistics start as zeros and ones).
    model.setWeights(model.getWeights().map((w) => tf.randomUniform(w.shape, 0.1, 1.5)));
    const named = Object.fromEntries(model.weights.map((w) => [w.originalName, w.read()]));
    expect(Object.keys(named)).toHaveLength(8);
    const path = join(dir, 'model.safetensors');
    await saveWeights(path, named, { epoch: '3' });

    const fresh = buildModel();
    const x = tf.randomNormal([4, 8, 8, 3]);
    const before = (fresh.predict(x) as tf.Tensor).arraySync();
    const { tensors, metadata } = await loadWeights(path);
    expect(metadata['epoch']).toBe('3');
    fresh.setWeights(fresh.weights.map((w) => tensors[w.originalName]!));

    const expected = (model.predict(x) as tf.Tensor).arraySync();
    expect((fresh.predict(x) as tf.Tensor).arraySync()).toEqual(expected);
    expect(before).not.toEqual(expected);
    for (const w of fresh.weights) expect(w.read().arraySync()).toEqual(named[w.originalName]!.arraySync());
  });

  it('keeps float32, int32 and bool tensors exactly', async () => {
    const saved = {
      f: tf.randomNormal([3, 4]),
      i: tf.tensor(Int32Array.from({ length: 6 }, () => Math.floor(Math.random() * 2 ** 32) - 2 ** 31), [2, 3], 'int32'),
      b: tf.tensor(Uint8Array.from({ length: 5 }, () => (Math.random() < 0.5 ? 1 : 0)), [5], 'bool'),
      s: tf.scalar(Math.random()),
    };
    const path = join(dir, 'dtypes.safetensors');
    await saveWeights(path, saved);
    const { tensors } = await loadWeights(path);
    for (const [name, t] of Object.entries(saved)) {
      expect({ name, dtype: tensors[name]!.dtype, shape: tensors[name]!.shape }).toEqual({ name, dtype: t.dtype, shape: t.shape });
      expect(tensors[name]!.arraySync()).toEqual(t.arraySync());
    }
  });

  it('widens files written by other tools to the tfjs dtypes', async () => {
    const f64 = Float64Array.from({ length: 4 }, () => Math.random() * 100 - 50);
    const i64 = BigInt64Array.from({ length: 3 }, () => BigInt(Math.floor(Math.random() * 2 ** 31) - 2 ** 30));
    const u8 = randomFillSync(new Uint8Array(4));
    const path = join(dir, 'foreign.safetensors');
    await writeSafetensors(path, {
      f64: { dtype: 'F64', shape: [2, 2], data: f64 },
      f16: { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xc000]) },
      bf16: { dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) },
      i64: { dtype: 'I64', shape: [3], data: i64 },
      u8: { dtype: 'U8', shape: [4], data: u8 },
    });
    const { tensors } = await loadWeights(path);
    expect(tensors['f64']!.dtype).toBe('float32');
    expect(Array.from(tensors['f64']!.dataSync())).toEqual(Array.from(Float32Array.from(f64)));
    expect(Array.from(tensors['f16']!.dataSync())).toEqual([1, -2]);
    expect(Array.from(tensors['bf16']!.dataSync())).toEqual([1]);
    expect(tensors['i64']!.dtype).toBe('int32');
    expect(Array.from(tensors['i64']!.dataSync())).toEqual(Array.from(i64, Number));
    expect(Array.from(tensors['u8']!.dataSync())).toEqual(Array.from(u8));
  });

  it('loads nothing from a file with an integer tfjs cannot hold', async () => {
    const path = join(dir, 'wide.safetensors');
    await writeSafetensors(path, {
      a: { dtype: 'F32', shape: [2], data: new Float32Array([Math.random(), Math.random()]) },
      z: { dtype: 'I64', shape: [2], data: new BigInt64Array([1n, 2n ** 40n + BigInt(Math.floor(Math.random() * 1000))]) },
    });
    const before = tf.memory().numTensors;
    const error = await loadWeights(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(
      /^checkpoint\.loadWeights: expected I64 values within int32 range \(tfjs has no wider integer\), got \d+ at element 1 \(file .*wide\.safetensors, tensor "z"\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('converts single tensors both ways and refuses dtypes safetensors cannot hold', async () => {
    const t = tf.randomNormal([2, 3]);
    const entry = await tensorToSafetensors(t);
    expect(entry).toMatchObject({ dtype: 'F32', shape: [2, 3] });
    expect(safetensorsToTensor(entry).arraySync()).toEqual(t.arraySync());
    await expect(tensorToSafetensors(tf.complex([1], [2]), 'z')).rejects.toThrow(
      /^checkpoint\.saveWeights: expected a float32, int32 or bool tensor, got a complex64 tensor \(tensor "z"\)/,
    );
  });
});
