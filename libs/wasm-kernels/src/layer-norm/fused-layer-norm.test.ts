import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fusedLayerNorm, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, below, onBackend, randn, relativeError, rng, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** Layer norm in tfjs ops, as tools/bench/train-models.mjs writes it: the oracle. */
function opByOp(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), g), b);
}

describe('fusedLayerNorm on wasm', () => {
  it('matches tfjs ops on cpu: output and the gradients of x, gamma, beta, over shapes, offsets and epsilons', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const d = trial === 0 ? 64 : 1 + below(23);
      const lead = trial === 0 ? [257] : Array.from({ length: below(3) }, () => 1 + below(9));
      const shape = [...lead, d];
      const offset = (rng.float() - 0.5) * 20;
      const scale = 10 ** (-2 + 3 * rng.float());
      const x = randn(shape).map((v) => offset + v * scale);
      const g = randn([d]);
      const b = randn([d]);
      const dy = randn(shape);
      const eps = [1e-5, 1e-3, 0.1][trial % 3]!;
      const run = (ln: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => () => {
        const [xt, gt, bt] = [tf.tensor(x, shape), tf.tensor1d(g), tf.tensor1d(b)];
        const y = ln(xt, gt, bt);
        const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, e: tf.Tensor) => ln(a, c, e))([xt, gt, bt], tf.tensor(dy, shape));
        return [y, ...grads];
      };
      const cpu = await onBackend('cpu', run((a, c, e) => opByOp(a, c, e, eps)));
      const wasm = await onBackend('wasm', run((a, c, e) => fusedLayerNorm(a, c as tf.Tensor1D, e as tf.Tensor1D, eps)));
      ['y', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
        const err = relativeError(wasm[i]!.values, cpu[i]!.values);
        // x - mean cancels when the offset dwarfs the spread: float32 rounding of x itself, relative to the spread.
        const tolerance = 1e-5 * Math.max(1, Math.abs(offset) / scale);
        if (!(err <= tolerance) || `${wasm[i]!.shape}` !== `${cpu[i]!.shape}`) failures.push(`${shape} offset ${offset.toFixed(2)} scale ${scale.toFixed(3)} eps ${eps}: ${name} error ${err} (tolerance ${tolerance})`);
      });
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('names the input of the wrong shape, and the kernel where the backend lacks it', async () => {
    await tf.setBackend('wasm');
    expect(() => fusedLayerNorm(tf.ones([3, 4]), tf.ones([3]) as tf.Tensor1D, tf.ones([4]) as tf.Tensor1D)).toThrow(/gamma float32 \[4\]/);
    await tf.setBackend('cpu');
    expect(() => fusedLayerNorm(tf.ones([3, 4]), tf.ones([4]) as tf.Tensor1D, tf.ones([4]) as tf.Tensor1D)).toThrow(/OmnitrainLayerNorm registered for backend "cpu"/);
  });
});
