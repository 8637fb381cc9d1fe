import { describe, expect, it } from 'vitest';
import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@omnitrain/core';
import { cnnEncoder } from '@omnitrain/encoders';
import { randomNormal, trainableCount } from '../../test-fixtures/encoder-harness.js';

/** Closed-form conv parameters: k*k*cin*cout (+ cout bias). */
const conv = (k: number, cin: number, cout: number, bias = true): number => k * k * cin * cout + (bias ? cout : 0);

describe('cnnEncoder', () => {
  it('defaults to the BENCHMARKS.md cnn: 28x28x1 -> 5x5x32 flattened, 160 + 4640 parameters', () => {
    const enc = cnnEncoder({ inputShape: [28, 28, 1] });
    expect(enc.outputDim).toBe(800);
    expect(enc.model.countParams()).toBe(conv(3, 1, 16) + conv(3, 16, 32));
    const y = enc.model.predict(randomNormal(Rng.fromSeed(1), [2, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 800]);
  });

  it('with batch norm drops the conv bias and adds gamma/beta (trainable) and moving stats', () => {
    const enc = cnnEncoder({ inputShape: [16, 12, 3], filters: [8, 4], kernelSize: 5, padding: 'same', batchNorm: true, head: 'global-avg', dropout: 0.2 });
    expect(trainableCount(enc)).toBe(conv(5, 3, 8, false) + 2 * 8 + conv(5, 8, 4, false) + 2 * 4);
    expect(enc.model.countParams()).toBe(trainableCount(enc) + 2 * 8 + 2 * 4);
    const y = enc.model.predict(randomNormal(Rng.fromSeed(2), [3, 16, 12, 3])) as tf.Tensor;
    expect(y.shape).toEqual([3, 4]);
  });

  it('pools with avg or not at all, and flattens what is left', () => {
    expect(cnnEncoder({ inputShape: [8, 8, 1], filters: [2], pool: 'none', padding: 'same' }).outputDim).toBe(8 * 8 * 2);
    expect(cnnEncoder({ inputShape: [8, 8, 1], filters: [2, 2], pool: 'avg', padding: 'same' }).outputDim).toBe(2 * 2 * 2);
    expect(cnnEncoder({ inputShape: [8, 8, 1], filters: [2, 2], padding: 'same', poolLast: false }).outputDim).toBe(4 * 4 * 2);
  });

  it('rejects an empty filters list naming the field', () => {
    expect(() => cnnEncoder({ inputShape: [8, 8, 1], filters: [] })).toThrow(/filters/);
  });
});
