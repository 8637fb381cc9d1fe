import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, DataError, readSafetensors, saveWeights } from '@omnitrain/core';
import {
  SCALE_SUFFIX,
  dequantizeInt8,
  loadQuantizedWeights,
  parseQuantizeConfig,
  quantizeInt8,
  quantizeWeights,
  saveQuantizedWeights,
} from '@omnitrain/compress';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'compress-q-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
const seed = Math.floor(Math.random() * 1e6);

/** [rows, channels] weights whose channels have ranges spread over two orders of magnitude, shifted. */
function variedChannels(rows: number, channels: number, s: number): tf.Tensor2D {
  return tf.tidy(() => {
    const ranges = tf.exp(tf.randomUniform([1, channels], Math.log(0.01), Math.log(1), 'float32', s));
    const shift = tf.mul(tf.randomUniform([1, channels], -0.5, 0.5, 'float32', s + 1), ranges);
    return tf.add(tf.mul(tf.randomNormal([rows, channels], 0, 1, 'float32', s + 2), ranges), shift) as tf.Tensor2D;
  });
}
const schemes = ['symmetric', 'asymmetric'] as const;
const granularities = ['per-tensor', 'per-channel'] as const;

describe(`int8 quantization (seed ${seed})`, () => {
  it('quantize -> dequantize error <= scale / 2 per element, for every scheme and granularity', () => {
    const w = variedChannels(33, 7, seed);
    const x = w.dataSync() as Float32Array;
    for (const scheme of schemes) {
      for (const granularity of granularities) {
        const q = quantizeInt8(x, w.shape, { scheme, granularity });
        expect(q.scale).toHaveLength(granularity === 'per-channel' ? 7 : 1);
        const back = dequantizeInt8(q);
        x.forEach((v, i) => {
          const s = q.scale[i % q.scale.length]!;
          expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(s / 2 + 1e-6 * Math.abs(v));
        });
        if (scheme === 'symmetric') expect(Array.from(q.zeroPoint).every((z) => z === 0)).toBe(true);
      }
    }
  });

  it('zero stays exactly zero (pruned weights stay pruned); non-finite input is refused', () => {
    const x = Float32Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0 : Math.sin(seed + i)));
    for (const scheme of schemes) {
      const back = dequantizeInt8(quantizeInt8(x, [8, 5], { scheme, granularity: 'per-channel' }));
      x.forEach((v, i) => v === 0 && expect(back[i]).toBe(0));
    }
    expect(() => quantizeInt8(new Float32Array([1, NaN]), [2], { scheme: 'symmetric', granularity: 'per-tensor' })).toThrow(DataError);
  });

  it('per-channel error <= per-tensor error on weights with varied channel ranges', () => {
    const w = variedChannels(64, 16, seed + 5);
    for (const scheme of schemes) {
      const err = (granularity: (typeof granularities)[number]) => quantizeWeights({ 'd/kernel': w }, parseQuantizeConfig({ scheme, granularity })).maxAbsError;
      expect(err('per-channel')).toBeLessThanOrEqual(err('per-tensor'));
    }
  });

  it('round-trips through a safetensors file: int8 + float32 scales, biases float32, 4x smaller, same values', async () => {
    const weights = { 'dense/kernel': variedChannels(128, 32, seed + 7), 'dense/bias': tf.randomNormal([32], 0, 1, 'float32', seed) };
    for (const scheme of schemes) {
      const config = parseQuantizeConfig({ scheme, granularity: 'per-channel' });
      const q = quantizeWeights(weights, config);
      const path = join(root, `q-${scheme}.safetensors`);
      const bytes = await saveQuantizedWeights(path, q);
      expect(bytes).toBe((await stat(path)).size);
      const raw = await readSafetensors(path);
      expect(raw.tensors['dense/kernel']!.dtype).toBe('I8');
      expect(raw.tensors[`dense/kernel${SCALE_SUFFIX}`]!.dtype).toBe('F32');
      expect(raw.tensors['dense/bias']!.dtype).toBe('F32');
      const floatPath = join(root, 'f32.safetensors');
      const floatBytes = await saveWeights(floatPath, weights);
      expect(bytes).toBeLessThan(floatBytes / 3);
      const { tensors } = await loadQuantizedWeights(path);
      expect(Array.from(tensors['dense/kernel']!.dataSync())).toEqual(Array.from(dequantizeInt8(q.int8['dense/kernel']!)));
      expect(Array.from(tensors['dense/bias']!.dataSync())).toEqual(Array.from(weights['dense/bias'].dataSync()));
      const diff = tf.max(tf.abs(tf.sub(tensors['dense/kernel']!, weights['dense/kernel']))).dataSync()[0]!;
      expect(diff).toBeCloseTo(q.maxAbsError, 6);
      await expect(loadQuantizedWeights(floatPath)).rejects.toThrow(CheckpointError);
    }
  });
});
