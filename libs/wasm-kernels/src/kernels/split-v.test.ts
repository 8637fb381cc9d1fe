import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, below, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('SplitV on wasm', () => {
  it('matches the cpu backend for equal and uneven splits along every axis', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 24; trial++) {
      const rank = 1 + (trial % 4);
      const shape = Array.from({ length: rank }, () => 2 + below(5));
      const axis = below(rank);
      const n = shape[axis]!;
      // Equal parts where the axis divides, else uneven sizes with a -1.
      const splits: number | number[] = trial % 2 === 0 && n % 2 === 0 ? 2 : [1, -1];
      const values = randn(shape);
      const f = () => tf.split(tf.tensor(values, shape), splits, axis - (trial % 3 === 0 ? rank : 0));
      const cpu = await onBackend('cpu', f);
      const wasm = await onBackend('wasm', f);
      cpu.forEach((c, i) => {
        const error = relativeError(wasm[i]!.values, c.values);
        if (!(error <= 1e-5) || `${wasm[i]!.shape}` !== `${c.shape}`) failures.push(`x ${shape} axis ${axis} splits ${splits} part ${i}: error ${error}`);
      });
      if (wasm.length !== cpu.length) failures.push(`x ${shape}: ${wasm.length} parts, expected ${cpu.length}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
