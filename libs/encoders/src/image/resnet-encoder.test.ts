import { describe, expect, it } from 'vitest';
import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@omnitrain/core';
import { resnetEncoder } from '@omnitrain/encoders';
import { randomNormal, trainableCount } from '../../test-fixtures/encoder-harness.js';

/** Closed-form parameters of a 3x3 basic block, cin -> cout; `bn` adds gamma/beta per conv. */
function basicBlock(cin: number, cout: number, bn: boolean): number {
  const conv = (k: number, a: number, b: number): number => k * k * a * b + (bn ? 2 * b : b);
  const shortcut = cin !== cout ? conv(1, cin, cout) : 0;
  return conv(3, cin, cout) + conv(3, cout, cout) + shortcut;
}

describe('resnetEncoder', () => {
  it('halves the resolution and doubles the width per stage; output = last width', () => {
    const enc = resnetEncoder({ inputShape: [16, 16, 3], width: 4, stages: [1, 2, 1] });
    expect(enc.outputDim).toBe(16);
    const y = enc.model.predict(randomNormal(Rng.fromSeed(3), [2, 16, 16, 3])) as tf.Tensor;
    expect(y.shape).toEqual([2, 16]);
    const convs = enc.model.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.map((l) => l.outputShape)).toContainEqual([null, 4, 4, 16]);
  });

  it('has the closed-form parameter count, with and without batch norm', () => {
    for (const normalization of ['batch', 'none'] as const) {
      const bn = normalization === 'batch';
      const enc = resnetEncoder({ inputShape: [8, 8, 1], width: 4, stages: [2, 1], normalization });
      const stem = 3 * 3 * 1 * 4 + (bn ? 8 : 4);
      const expected = stem + basicBlock(4, 4, bn) * 2 + basicBlock(4, 8, bn);
      expect(trainableCount(enc)).toBe(expected);
    }
  });
});
