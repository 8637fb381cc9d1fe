import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { Standardizer } from '@omnitrain/data';
import { IMAGENET_MEAN, IMAGENET_STD, normalize, toBatchTensor, toTensor } from '@omnitrain/image';
import { maxAbsDiff, randomImage, seeded } from '../../test-fixtures/images.js';

describe('normalize and tensors', () => {
  it('normalize computes (x - mean) / std per channel, and accepts fitted statistics', () => {
    const img = randomImage([5, 6, 3]);
    const out = normalize({ mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] }).apply(img, seeded(0));
    const expected = img.data.map((v, i) => (v - IMAGENET_MEAN[i % 3]!) / IMAGENET_STD[i % 3]!);
    expect(maxAbsDiff(out.data, expected)).toBeLessThan(1e-6);
    const { mean, std } = Standardizer.fit(img.data, 3);
    const standardized = normalize({ mean: [...mean], std: [...std] }).apply(img, seeded(0));
    for (let c = 0; c < 3; c++) {
      const channel = standardized.data.filter((_, i) => i % 3 === c);
      expect(Math.abs(channel.reduce((a, b) => a + b, 0) / channel.length)).toBeLessThan(1e-5);
    }
    expect(() => normalize({ mean: [0.5], std: [0.5] }).apply(img, seeded(0))).toThrow(DataError);
  });

  it('toTensor and toBatchTensor give [h, w, c] and [n, h, w, c] float32 tensors of the same values', async () => {
    await tf.setBackend('cpu');
    const a = randomImage([4, 5, 3]);
    const b = randomImage([4, 5, 3]);
    const t = toTensor(a);
    expect(t.shape).toEqual([4, 5, 3]);
    expect(t.dtype).toBe('float32');
    expect(await t.data()).toEqual(a.data);
    const batch = toBatchTensor([a, b]);
    expect(batch.shape).toEqual([2, 4, 5, 3]);
    expect(await batch.slice([1, 0, 0, 0], [1, 4, 5, 3]).data()).toEqual(b.data);
    tf.dispose([t, batch]);
    expect(() => toBatchTensor([a, randomImage([5, 4, 3])])).toThrow(/shape \[5, 4, 3\] at index 1/);
    expect(() => toBatchTensor([])).toThrow(DataError);
  });
});
