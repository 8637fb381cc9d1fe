import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

// Only 'valid' and 'same': the shipped wasm MaxPool (forward) of 4.22.0 can crash with a numeric pad.
type Pad = 'valid' | 'same';

/** The gradient of sum(maxPool(x) * dy) with respect to x, on the active backend. */
function poolGradient(x: Float32Array, shape: number[], filter: [number, number], stride: number | [number, number], pad: Pad, dy: Float32Array) {
  return () => {
    const input = tf.tensor4d(x, shape as [number, number, number, number]);
    return tf.grad((t: tf.Tensor) => {
      const y = tf.maxPool(t as tf.Tensor4D, filter, stride, pad);
      return tf.sum(tf.mul(y, tf.tensor(dy, y.shape)));
    })(input);
  };
}

describe('MaxPoolGrad on wasm', () => {
  it('matches the cpu backend for positive, all-negative (tanh) and tied (relu zeros) windows', async () => {
    const failures: string[] = [];
    const values: Record<string, (v: number) => number> = {
      normal: (v) => v,
      allNegative: (v) => -Math.abs(v) - 0.01, // the shipped kernel's bug: windows with only values <= 0
      relu: (v) => Math.max(0, v), // ties at 0: the first in the window wins
    };
    const grid: Array<[number[], [number, number], number | [number, number], Pad]> = [
      [[2, 6, 6, 3], [2, 2], 2, 'valid'], // 2x2 / stride 2: the unrolled path
      [[3, 7, 9, 4], [2, 2], 2, 'valid'], // odd sides: the last row and column stay out
      [[2, 6, 8, 6], [2, 2], 2, 'valid'], // SIMD: 4 channels + a scalar tail
      [[2, 1, 9, 7], [1, 2], [1, 2], 'valid'], // 1D pooling (SIMD 1x2), odd width
      [[2, 8, 6, 16], [2, 2], 2, 'same'],
      [[2, 7, 7, 2], [2, 2], 2, 'same'], // padded at the bottom/right: the general loop
      [[1, 7, 5, 2], [3, 3], 2, 'same'],
      [[3, 5, 5, 1], [3, 3], 1, 'valid'],
      [[2, 8, 7, 4], [2, 3], 1, 'same'],
      [[1, 6, 6, 2], [3, 2], 3, 'same'],
      [[4, 9, 9, 5], [3, 3], 2, 'valid'], // overlapping windows
    ];
    for (const [name, map] of Object.entries(values)) {
      for (const [shape, filter, stride, pad] of grid) {
        const x = randn(shape).map(map);
        const yShape = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], filter, stride, 1, pad).outShape;
        const dy = randn(yShape);
        const [cpu] = await onBackend('cpu', poolGradient(x, shape, filter, stride, pad, dy));
        const [wasm] = await onBackend('wasm', poolGradient(x, shape, filter, stride, pad, dy));
        const error = relativeError(wasm!.values, cpu!.values);
        if (!(error <= 1e-5)) failures.push(`${name} x ${shape} filter ${filter} stride ${stride} pad ${pad}: relative error ${error}`);
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
