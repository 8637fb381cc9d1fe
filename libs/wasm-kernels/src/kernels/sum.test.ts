import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, below, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Sum on wasm', () => {
  it('matches the cpu backend over leading, inner, mixed and all axes, with and without keepDims', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 30; trial++) {
      const rank = 1 + (trial % 4);
      const shape = Array.from({ length: rank }, () => 1 + below(9));
      const kind = trial % 3;
      // Leading axes (the fast path), a random subset, or negative axes.
      const lead = 1 + below(rank);
      const axes = kind === 0 ? Array.from({ length: lead }, (_, i) => i) : kind === 1 ? [...new Set([below(rank), below(rank)])] : [-1];
      const keepDims = below(2) === 1;
      const values = randn(shape);
      const f = () => tf.sum(tf.tensor(values, shape), axes, keepDims);
      const [cpu, magnitude] = await onBackend('cpu', () => [f(), tf.sum(tf.abs(tf.tensor(values, shape)), axes, keepDims)]);
      const [wasm] = await onBackend('wasm', f);
      // Errors over the sum of |x| (a float32 sum's error scales with it): a sum that cancels to near
      // zero (seed 885311424: 108 values, all axes) would otherwise measure float32 rounding alone.
      const largest = Math.max(...Array.from(magnitude!.values));
      const diff = wasm!.values.length === cpu!.values.length ? Math.max(...Array.from(cpu!.values, (v, i) => Math.abs(wasm!.values[i]! - v))) : Infinity;
      const error = diff / (largest || 1);
      if (!(error <= 1e-5) || `${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`x ${shape} axes ${axes} keepDims ${keepDims}: error ${error}, shape ${wasm!.shape} vs ${cpu!.shape}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
  it('sums the bias gradient of a conv layer ([n, h, w, c] over n, h, w) like the cpu backend', async () => {
    const shape = [8, 12, 12, 16];
    const values = randn(shape);
    const f = () => tf.sum(tf.tensor(values, shape), [0, 1, 2]);
    const [cpu] = await onBackend('cpu', f);
    const [wasm] = await onBackend('wasm', f);
    expect(relativeError(wasm!.values, cpu!.values), `seed ${SEED}`).toBeLessThanOrEqual(1e-5);
  });
});
