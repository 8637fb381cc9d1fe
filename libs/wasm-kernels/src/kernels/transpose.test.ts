import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, below, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** A random permutation of 0..n-1. */
function permutation(n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = below(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

describe('Transpose on wasm', () => {
  it('matches the cpu backend on random permutations of ranks 1-6 (tiles, ragged edges, size-1 axes), float32 and int32', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + (trial % 6);
      // Sides up to 40 so 16 x 16 tiles get ragged edges; some size-1 axes.
      const shape = Array.from({ length: rank }, () => (below(5) === 0 ? 1 : 1 + below(rank <= 2 ? 40 : 7)));
      const perm = permutation(rank);
      const values = randn(shape);
      const ints = trial % 4 === 0;
      const f = () => tf.transpose(ints ? tf.tensor(values.map((v) => Math.round(v * 100)), shape, 'int32') : tf.tensor(values, shape), perm);
      const [cpu] = await onBackend('cpu', f);
      const [wasm] = await onBackend('wasm', f);
      const error = relativeError(wasm!.values, cpu!.values);
      if (!(error === 0) || `${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`x ${shape} perm ${perm}: error ${error}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('copies contiguous runs (attention heads [b, T, H, dh] <-> [b, H, T, dh], odd and short runs) exactly', async () => {
    const failures: string[] = [];
    for (const [shape, perm] of [
      [[1 + below(5), 2 + below(9), 1 + below(4), 32], [0, 2, 1, 3]],
      [[2 + below(4), 1 + below(4), 2 + below(9), 4 + below(6)], [0, 2, 1, 3]],
      [[3 + below(5), 2 + below(5), 5], [1, 0, 2]],
      [[2, 3, 2 + below(3), 2, 4 + below(9)], [2, 0, 3, 1, 4]],
      [[7, 9 + below(4)], [0, 1]],
    ] as Array<[number[], number[]]>) {
      for (const ints of [false, true]) {
        const values = randn(shape);
        const f = () => tf.transpose(ints ? tf.tensor(values.map((v) => Math.round(v * 100)), shape, 'int32') : tf.tensor(values, shape), perm);
        const [cpu] = await onBackend('cpu', f);
        const [wasm] = await onBackend('wasm', f);
        const error = relativeError(wasm!.values, cpu!.values);
        if (!(error === 0) || `${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`x ${shape} perm ${perm} ${ints ? 'int32' : 'float32'}: error ${error}`);
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
