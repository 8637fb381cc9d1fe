import { beforeAll, describe, expect, it } from 'vitest';
import { meanGradient, registerWasmTrainingKernels, sumGradient } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, below, onBackend, randn, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** The gradient of sum(reduce(x, axes) * r) in plain loops: r broadcast back over the reduced axes (/ n for mean). */
function oracle(shape: number[], axes: number[], r: Float32Array, mean: boolean): Float64Array {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = axes.reduce((p, a) => p * shape[a]!, 1);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let at = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      at += (axes.includes(d) ? 0 : i) * stride;
      stride *= kept[d]!;
    }
    out[flat] = mean ? r[at]! / n : r[at]!;
  }
  return out;
}

describe('Sum and Mean gradients with the ones made in the backend', () => {
  it('are registered over tfjs-core\'s and equal the broadcast oracle on wasm and cpu, over shapes, axes and keepDims', async () => {
    expect(tf.getGradient('Sum')).toBe(sumGradient);
    expect(tf.getGradient('Mean')).toBe(meanGradient);
    const failures: string[] = [];
    for (let trial = 0; trial < 16; trial++) {
      const shape = trial === 0 ? [64, 16, 16, 8] : Array.from({ length: 1 + below(4) }, () => 1 + below(7));
      const axes = shape.map((_, i) => i).filter(() => below(2) === 0);
      if (axes.length === 0) axes.push(below(shape.length));
      const keepDims = below(2) === 0;
      const mean = trial % 2 === 1;
      const x = randn(shape);
      const outShape = keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
      const r = randn(outShape);
      const want = oracle(shape, axes, r, mean);
      for (const backend of ['wasm', 'cpu'] as const) {
        const [g] = await onBackend(backend, () => [
          tf.grad((t: tf.Tensor) => tf.sum(tf.mul((mean ? tf.mean : tf.sum)(t, axes, keepDims), tf.tensor(r, outShape))))(tf.tensor(x, shape)),
        ]);
        const e = relativeError(g!.values, want);
        if (!(e <= 1e-6) || `${g!.shape}` !== `${shape}`) failures.push(`${backend} ${mean ? 'mean' : 'sum'} [${shape}] axes ${axes} keepDims ${keepDims}: error ${e}`);
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('makes the ones with Fill in the backend (no JS array of the input\'s size)', async () => {
    await tf.setBackend('wasm');
    const profile = await tf.profile(() => {
      tf.tidy(() => void tf.grad((t: tf.Tensor) => tf.mean(t, [1, 2]))(tf.ones([4, 8, 8, 3])).dataSync());
    });
    expect(profile.kernelNames).toContain('Fill');
  });
});
