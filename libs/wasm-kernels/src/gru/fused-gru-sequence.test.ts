import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@omnitrain/core';
import { fusedGruSequence, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import type { GruSequenceAttrs } from '@omnitrain/wasm-kernels';
import { SEED, errorsAgainstLargest, onBackend, randn, randomMask, setUpBackends } from '../test/oracle.js';
import { gruReference } from '../test/gru-reference.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/**
 * [T, B, U]: single elements, units not a multiple of 4 (the scalar tail), more than 256 steps x rows
 * (the weight gradient in chunks), the benchmark's T and U.
 */
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 2, 5],
  [6, 5, 8],
  [4, 3, 13],
  [40, 8, 7],
  [32, 8, 64],
];
const VARIANTS: GruSequenceAttrs[] = [
  { resetAfter: true, recurrentActivation: 'sigmoid' },
  { resetAfter: false, recurrentActivation: 'hardSigmoid' },
  { resetAfter: true, recurrentActivation: 'hardSigmoid' },
  { resetAfter: false, recurrentActivation: 'sigmoid' },
];


describe('OmnitrainGruSequence (fused GRU) on wasm', () => {
  it('states and the gradients of x, h0, kernel and bias match separate tfjs ops on the cpu backend', async () => {
    const failures: string[] = [];
    for (const [T, B, U] of SHAPES) {
      for (const attrs of VARIANTS) {
        for (const padded of [false, true]) {
          // The large shape: unpadded, sigmoid (a hard sigmoid's kink can flip under float rounding somewhere
          // among the many pre-activations; the small shapes test it).
          if (T * B * U > 10_000 && (padded || attrs.recurrentActivation !== 'sigmoid')) continue;
          const scale = 1 / Math.sqrt(U);
          const values = {
            x: randn([T, B, 3 * U]),
            h0: randn([B, U]).map((v) => v * 0.5),
            kernel: randn([U, 3 * U]).map((v) => v * 2 * scale), // large enough to saturate some hard sigmoids
            bias: randn([3 * U]).map((v) => v * 0.3),
            mask: randomMask(T, B, padded),
            dy: randn([T, B, U]),
          };
          const run = (gru: typeof gruReference) => () => {
            const t = {
              x: tf.tensor3d(values.x, [T, B, 3 * U]),
              h0: tf.tensor2d(values.h0, [B, U]),
              kernel: tf.tensor2d(values.kernel, [U, 3 * U]),
              bias: tf.tensor1d(values.bias),
              mask: tf.tensor2d(values.mask, [T, B]),
            };
            const dy = tf.tensor3d(values.dy, [T, B, U]);
            const states = gru(t, attrs);
            const grads = tf.grads((x: tf.Tensor, h0: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) =>
              tf.sum(tf.mul(gru({ x: x as tf.Tensor3D, h0: h0 as tf.Tensor2D, kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D, mask: t.mask }, attrs), dy)),
            )([t.x, t.h0, t.kernel, t.bias]);
            return [states, ...grads];
          };
          const expected = await onBackend('cpu', run(gruReference));
          const actual = await onBackend('wasm', run(fusedGruSequence));
          // Errors relative to the largest value of the problem (a 1x1 gradient can cancel to near zero).
          const errors = errorsAgainstLargest(actual, expected);
          ['h', 'dx', 'dh0', 'dkernel', 'dbias'].forEach((name, i) => {
            const error = errors[i]!;
            if (!(error <= 1e-5)) failures.push(`[T ${T}, B ${B}, U ${U}] ${JSON.stringify(attrs)} padded ${padded}: ${name} relative error ${error}`);
          });
        }
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('is one kernel call per layer and pass, with nothing left on the cpu backend', async () => {
    await tf.setBackend('wasm');
    const [T, B, U] = [5, 3, 4];
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        const x = tf.randomNormal([T, B, 3 * U]) as tf.Tensor3D;
        const kernel = tf.randomNormal([U, 3 * U]) as tf.Tensor2D;
        tf.grads((xv: tf.Tensor, k: tf.Tensor) =>
          tf.sum(fusedGruSequence({ x: xv as tf.Tensor3D, h0: tf.zeros([B, U]), kernel: k as tf.Tensor2D, bias: tf.zeros([3 * U]), mask: tf.ones([T, B]) }, { resetAfter: true, recurrentActivation: 'sigmoid' })),
        )([x, kernel]);
      });
    });
    const counts = (name: string) => profile.kernels.filter((k) => k.name === name).length;
    expect(counts('OmnitrainGruSequence')).toBe(1);
    expect(counts('OmnitrainGruSequenceGrad')).toBe(1);
  });

  it('names the kernel and the fix when the backend has none', async () => {
    await tf.setBackend('cpu');
    const [T, B, U] = [2, 1, 1];
    const call = () =>
      fusedGruSequence({ x: tf.zeros([T, B, 3 * U]), h0: tf.zeros([B, U]), kernel: tf.zeros([U, 3 * U]), bias: tf.zeros([3 * U]), mask: tf.ones([T, B]) }, { resetAfter: true, recurrentActivation: 'sigmoid' });
    expect(call).toThrow(BackendError);
    expect(call).toThrow(/OmnitrainGruSequence.*"cpu"/);
  });

  it('rejects inputs of the wrong shape, naming the input', async () => {
    await tf.setBackend('wasm');
    const [T, B, U] = [2, 3, 4];
    expect(() =>
      fusedGruSequence({ x: tf.zeros([T, B, 3 * U]), h0: tf.zeros([B, U + 1]), kernel: tf.zeros([U, 3 * U]), bias: tf.zeros([3 * U]), mask: tf.ones([T, B]) }, { resetAfter: true, recurrentActivation: 'sigmoid' }),
    ).toThrow(/h0 float32 \[3,4\].*\[3,5\]/);
  });
});
