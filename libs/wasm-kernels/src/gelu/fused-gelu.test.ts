import { beforeAll, describe, expect, it } from 'vitest';
import { fusedGelu, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, below, onBackend, randn, relativeError, rng, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** The op-by-op GELU (tanh approximation), as tools/bench/train-models.mjs writes it: the oracle. */
function opByOpGelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

describe('fusedGelu on wasm', () => {
  it('matches the op-by-op formula on cpu, values and gradients, over shapes and scales', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const shape = trial === 0 ? [64, 257] : Array.from({ length: 1 + below(3) }, () => 1 + below(17));
      const scale = [0.01, 0.3, 1, 3, 10][trial % 5]!;
      const x = randn(shape).map((v) => v * scale);
      const dy = randn(shape);
      const both = (gelu: (t: tf.Tensor) => tf.Tensor) => () => {
        const xt = tf.tensor(x, shape);
        const dyt = tf.tensor(dy, shape);
        const [y, g] = [gelu(xt), tf.grad((t: tf.Tensor) => gelu(t))(xt, dyt)];
        return [y, g];
      };
      const [cy, cg] = await onBackend('cpu', both(opByOpGelu));
      const [wy, wg] = await onBackend('wasm', both((t) => fusedGelu(t)));
      const ey = relativeError(wy!.values, cy!.values);
      const eg = relativeError(wg!.values, cg!.values);
      if (!(ey <= 1e-5) || !(eg <= 1e-5) || `${wy!.shape}` !== `${shape}`) failures.push(`${shape} scale ${scale}: value error ${ey}, gradient error ${eg}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('trains: the same weight gradient as the op-by-op GELU through a dense layer', async () => {
    const x = randn([16, 8]);
    const w = randn([8, 12]).map((v) => v * (0.5 + rng.float()));
    const gw = (gelu: (t: tf.Tensor) => tf.Tensor) => () => {
      const xt = tf.tensor(x, [16, 8]);
      return tf.grad((wt: tf.Tensor) => tf.sum(tf.square(gelu(tf.matMul(xt, wt)))))(tf.tensor(w, [8, 12]));
    };
    const [cpu] = await onBackend('cpu', gw(opByOpGelu));
    const [wasm] = await onBackend('wasm', gw((t) => fusedGelu(t)));
    expect(relativeError(wasm!.values, cpu!.values), `seed ${SEED}`).toBeLessThanOrEqual(1e-5);
  });

  it('names the kernel when the backend lacks it', async () => {
    await tf.setBackend('cpu');
    expect(() => fusedGelu(tf.ones([2]))).toThrow(/OmnitrainGelu registered for backend "cpu"/);
  });
});
