import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, below, onBackend, randn, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Cast on wasm', () => {
  it('matches the cpu backend to the same and to other dtypes', async () => {
    const shape = [1 + below(5), 1 + below(7)];
    const values = randn(shape).map((v) => Math.round(v * 3));
    for (const [from, to] of [['float32', 'float32'], ['int32', 'int32'], ['float32', 'int32'], ['int32', 'float32']] as const) {
      const f = () => tf.cast(tf.tensor(values, shape, from), to);
      const [cpu] = await onBackend('cpu', f);
      const [wasm] = await onBackend('wasm', f);
      expect(Array.from(wasm!.values), `${from} -> ${to}, seed ${SEED}`).toEqual(Array.from(cpu!.values));
    }
  });

  it('shares the data of a same-dtype cast, which outlives the input and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const values = randn([64]);
    const x = tf.tensor(values);
    const y = tf.cast(x, 'float32');
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(Array.from(values));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
