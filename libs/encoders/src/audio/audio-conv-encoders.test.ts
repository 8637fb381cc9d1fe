import { describe, expect, it } from 'vitest';
import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@omnitrain/core';
import { audioConv1dEncoder, audioConv2dEncoder } from '@omnitrain/encoders';
import { randomNormal } from '../../test-fixtures/encoder-harness.js';

describe('audio conv encoders', () => {
  it('audio-conv1d defaults to BENCHMARKS.md audio1d: [64, 64] -> 128, k*cin*cout + cout per conv', () => {
    const enc = audioConv1dEncoder({ inputShape: [64, 64] });
    expect(enc.outputDim).toBe(128);
    expect(enc.model.countParams()).toBe(3 * 64 * 128 + 128 + 3 * 128 * 128 + 128);
  });

  it('audio-conv1d maps [batch, frames, mels] to [batch, dim]', () => {
    const enc = audioConv1dEncoder({ inputShape: [20, 8], filters: [6, 5], kernelSize: 5, head: 'global-max' });
    const y = enc.model.predict(randomNormal(Rng.fromSeed(4), [3, 20, 8])) as tf.Tensor;
    expect(y.shape).toEqual([3, 5]);
  });

  it('audio-conv2d defaults to BENCHMARKS.md audio2d: [64, 64, 1] -> 64', () => {
    const enc = audioConv2dEncoder({ inputShape: [64, 64, 1] });
    expect(enc.outputDim).toBe(64);
    const conv = (cin: number, cout: number): number => 9 * cin * cout + cout;
    expect(enc.model.countParams()).toBe(conv(1, 16) + conv(16, 32) + conv(32, 64));
  });

  it('audio-conv2d maps [batch, frames, mels, 1] to [batch, dim]', () => {
    const enc = audioConv2dEncoder({ inputShape: [12, 10, 1], filters: [3, 7] });
    const y = enc.model.predict(randomNormal(Rng.fromSeed(5), [2, 12, 10, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 7]);
  });
});
