import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, below, randn, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Identity on wasm', () => {
  it('returns the same values, and the clone outlives the original (shared data, counted references)', async () => {
    await tf.setBackend('wasm');
    const shape = [1 + below(5), 1 + below(7)];
    const values = randn(shape);
    const x = tf.tensor(values, shape);
    const before = tf.memory().numTensors;
    const y = tf.clone(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    x.dispose();
    expect(Array.from(y.dataSync()), `seed ${SEED}`).toEqual(Array.from(values));
    // A variable assigned from a clone keeps its values after the clone is disposed.
    const v = tf.variable(tf.zeros(shape));
    const z = tf.clone(y);
    v.assign(z);
    z.dispose();
    y.dispose();
    expect(Array.from(v.dataSync())).toEqual(Array.from(values));
    v.dispose();
  });
});
