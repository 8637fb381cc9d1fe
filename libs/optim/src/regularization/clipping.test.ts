import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '@omnitrain/optim';
import { maxRelativeError, readFixture } from '../../test-fixtures/torch-fixtures.js';
import type { ClippingFixture } from '../../test-fixtures/torch-fixtures.js';

// Oracle: torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (1.13) on the same three gradients.
const fixture = readFixture<ClippingFixture>('clipping.json');
let grads: tf.NamedTensorMap;
let worst = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  grads = Object.fromEntries(fixture.grads.map((g, i) => [`g${i}`, tf.tensor(g.values, g.shape)]));
});
afterAll(() => console.log(`clipping: max relative error vs torch ${worst.toExponential(2)}`));

describe('gradient clipping matches torch.nn.utils', () => {
  it.each(fixture.cases.map((c) => [c.kind === 'norm' ? `norm ${c.normType}, max ${c.maxNorm}` : `value ${c.clipValue}`, c] as const))(
    '%s',
    (_, c) => {
      const before = tf.memory().numTensors;
      const clipped = c.kind === 'norm' ? clipGradNorm(grads, c.maxNorm, c.normType) : { grads: clipGradValue(grads, c.clipValue) };
      let err = 0;
      if (c.kind === 'norm') {
        const { totalNorm } = clipped as ReturnType<typeof clipGradNorm>;
        err = maxRelativeError(totalNorm.dataSync(), [c.totalNorm], 1e-6);
      }
      c.clipped.forEach((expected, i) => (err = Math.max(err, maxRelativeError(clipped.grads[`g${i}`]!.dataSync(), expected, 1e-6))));
      worst = Math.max(worst, err);
      expect(err).toBeLessThanOrEqual(1e-6);
      tf.dispose(clipped as tf.TensorContainer);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('leaves its inputs alone, handles no gradients, and rejects bad limits', () => {
    const g = { w: tf.tensor1d([3, 4]) };
    const { grads: out, totalNorm } = clipGradNorm(g, 1);
    expect(totalNorm.dataSync()[0]).toBe(5);
    expect([...g.w.dataSync()]).toEqual([3, 4]);
    expect(out['w']!.dataSync()[1]).toBeCloseTo(0.8, 6);
    expect(clipGradNorm({}, 1).totalNorm.dataSync()[0]).toBe(0);
    expect(() => clipGradNorm(g, -1)).toThrow(/maxNorm >= 0/);
    expect(() => clipGradNorm(g, 1, 0)).toThrow(/normType > 0/);
    expect(() => clipGradValue(g, -0.5)).toThrow(/clipValue >= 0/);
    tf.dispose([g.w, out['w']!, totalNorm]);
  });
});
