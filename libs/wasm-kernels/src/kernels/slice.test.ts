import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, below, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Slice on wasm', () => {
  it('matches the cpu backend on random begins and sizes over ranks 1-5, float32 and int32', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + (trial % 5);
      const shape = Array.from({ length: rank }, () => 1 + below(6));
      const begin = shape.map((d) => below(d));
      // -1 (to the end) for some axes, else a random size that fits.
      const size = shape.map((d, i) => (below(4) === 0 ? -1 : 1 + below(d - begin[i]!)));
      const values = randn(shape);
      const ints = trial % 3 === 0;
      const f = () => tf.slice(ints ? tf.tensor(values.map(Math.round), shape, 'int32') : tf.tensor(values, shape), begin, size);
      const [cpu] = await onBackend('cpu', f);
      const [wasm] = await onBackend('wasm', f);
      const error = relativeError(wasm!.values, cpu!.values);
      if (!(error <= 1e-5) || `${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`x ${shape} begin ${begin} size ${size}: error ${error}, shape ${wasm!.shape} vs ${cpu!.shape}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
