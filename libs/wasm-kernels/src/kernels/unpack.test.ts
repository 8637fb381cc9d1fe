import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, below, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Unpack on wasm', () => {
  it('matches the cpu backend along every axis of ranks 1-4', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 20; trial++) {
      const rank = 1 + (trial % 4);
      const shape = Array.from({ length: rank }, () => 1 + below(5));
      const axis = below(rank);
      const values = randn(shape);
      const f = () => tf.unstack(tf.tensor(values, shape), axis);
      const cpu = await onBackend('cpu', f);
      const wasm = await onBackend('wasm', f);
      cpu.forEach((c, i) => {
        const error = relativeError(wasm[i]!.values, c.values);
        if (!(error <= 1e-5) || `${wasm[i]!.shape}` !== `${c.shape}`) failures.push(`x ${shape} axis ${axis} output ${i}: error ${error}`);
      });
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
