import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, below, compareKernel, onBackend, randn, rng, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Tanh on wasm', () => {
  it('matches the cpu backend over shapes and input scales (tiny, around the series cut-off, saturating)', async () => {
    const failures: string[] = [];
    for (const scale of [1e-4, 0.05, 0.125, 0.3, 1, 3, 30]) {
      for (let trial = 0; trial < 3; trial++) {
        const shape = Array.from({ length: 1 + below(3) }, () => 1 + below(40));
        const values = randn(shape).map((v) => v * scale * (0.5 + rng.float()));
        const { error, cpuShape, wasmShape } = await compareKernel('Tanh', { x: { values, shape } }, {});
        if (!(error <= 1e-5) || `${cpuShape}` !== `${wasmShape}`) failures.push(`x ${shape} scale ${scale}: error ${error}, shape ${wasmShape} vs ${cpuShape}`);
      }
    }
    // Each element on its own (max |diff| / |expected| per element) around the cut-off, both signs.
    const values = Float32Array.from({ length: 512 }, (_, i) => (i % 2 ? -1 : 1) * (0.1 + 0.05 * rng.float()));
    const { error } = await compareKernel('Tanh', { x: { values, shape: [512] } }, {});
    if (!(error <= 1e-5)) failures.push(`around 0.125: error ${error}`);
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('keeps every element within 1e-5 of its own value (relative), from 1e-6 to 10, both signs', async () => {
    const values = Float32Array.from({ length: 1003 }, () => (rng.float() < 0.5 ? -1 : 1) * 10 ** (-6 + 7 * rng.float()));
    const [wasm] = await onBackend('wasm', () => tf.tanh(tf.tensor1d(values)));
    const worst = values.reduce((w, v, i) => Math.max(w, Math.abs(wasm!.values[i]! - Math.tanh(v)) / Math.abs(Math.tanh(v))), 0);
    expect(worst, `seed ${SEED}`).toBeLessThanOrEqual(1e-5);
  });

  it('passes NaN and infinities through and saturates to +-1', async () => {
    const [special] = await onBackend('wasm', () => tf.tanh(tf.tensor1d([NaN, Infinity, -Infinity, 0, 40, -40])));
    expect(Array.from(special!.values)).toEqual([NaN, 1, -1, 0, 1, -1]);
  });
});
