import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('_FusedMatMul on wasm', () => {
  it('matches the cpu backend with bias, relu / linear / fallback activations, transposes and batches', async () => {
    const failures: string[] = [];
    // a, b as stored before the transposes.
    const pairs: Array<[number[], number[]]> = [
      [[13, 37], [37, 21]],
      [[70, 9], [9, 16]],
      [[5, 300], [300, 11]],
      [[3, 9, 17], [3, 17, 12]],
      [[2, 6], [6, 3]],
    ];
    for (const [aStored, bStored] of pairs) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          for (const activation of ['linear', 'relu', 'elu', 'sigmoid'] as const) {
            for (const withBias of [true, false]) {
              const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s.at(-1)!, s.at(-2)!] : s);
              const aShape = swap(aStored, transposeA);
              const bShape = swap(bStored, transposeB);
              const n = bStored.at(-1)!;
              const [av, bv, biasv] = [randn(aShape), randn(bShape), randn([n])];
              const f = () =>
                tf.fused.matMul({
                  a: tf.tensor(av, aShape),
                  b: tf.tensor(bv, bShape),
                  transposeA,
                  transposeB,
                  bias: withBias ? tf.tensor(biasv, [n]) : undefined,
                  activation,
                });
              const [cpu] = await onBackend('cpu', f);
              const [wasm] = await onBackend('wasm', f);
              const error = relativeError(wasm!.values, cpu!.values);
              const what = `a ${aShape} b ${bShape} tA ${transposeA} tB ${transposeB} ${activation} bias ${withBias}`;
              if (`${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`${what}: shape ${wasm!.shape} vs ${cpu!.shape}`);
              else if (!(error <= 1e-5)) failures.push(`${what}: relative error ${error}`);
            }
          }
        }
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('matches the cpu backend with a broadcast [1, n] bias, leakyrelu and prelu', async () => {
    const [m, k, n] = [9, 14, 11];
    const [av, bv, biasv, alphav] = [randn([m, k]), randn([k, n]), randn([1, n]), randn([n])];
    for (const activation of ['relu', 'leakyrelu', 'prelu'] as const) {
      const f = () =>
        tf.fused.matMul({
          a: tf.tensor(av, [m, k]),
          b: tf.tensor(bv, [k, n]),
          bias: tf.tensor(biasv, [1, n]),
          activation,
          preluActivationWeights: activation === 'prelu' ? tf.tensor(alphav, [n]) : undefined,
          leakyreluAlpha: 0.3,
        });
      const [cpu] = await onBackend('cpu', f);
      const [wasm] = await onBackend('wasm', f);
      expect(relativeError(wasm!.values, cpu!.values), `${activation}, seed ${SEED}`).toBeLessThanOrEqual(1e-5);
    }
  });
});
