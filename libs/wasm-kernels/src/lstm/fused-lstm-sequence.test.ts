import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@omnitrain/core';
import { LSTM_SEQUENCE, fusedLstmSequence, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import type { LstmSequenceAttrs } from '@omnitrain/wasm-kernels';
import { SEED, errorsAgainstLargest, onBackend, randn, randomMask, setUpBackends } from '../test/oracle.js';
import { lstmReference } from '../test/lstm-reference.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** [T, B, U]: single elements, units not a multiple of 4 (the scalar tail), more than 256 steps x rows (chunks). */
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 2, 5],
  [6, 5, 8],
  [4, 3, 13],
  [40, 8, 32],
];


type Inputs = Parameters<typeof lstmReference>[0];

/** The fused kernel's h and c planes, differentiable (the op itself returns h only). */
function fusedStates(inputs: Inputs, attrs: LstmSequenceAttrs): [tf.Tensor3D, tf.Tensor3D] {
  const [T, B, U4] = inputs.x.shape;
  const U = U4 / 4;
  const out = tf.engine().runKernel(LSTM_SEQUENCE, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const plane = (p: number) => tf.reshape(tf.slice(out, [p, 0, 0, 0], [1, T, B, U]), [T, B, U]) as tf.Tensor3D;
  return [plane(0), plane(1)];
}

describe('OmnitrainLstmSequence (fused LSTM) on wasm', () => {
  it('h and c states and the gradients of x, h0, c0, kernel and bias match separate tfjs ops on the cpu backend', async () => {
    const failures: string[] = [];
    for (const [T, B, U] of SHAPES) {
      for (const recurrentActivation of ['sigmoid', 'hardSigmoid'] as const) {
        for (const padded of [false, true]) {
          // The large shape: sigmoid only (a hard sigmoid's kink can flip under float rounding).
          if (T * B * U > 5_000 && recurrentActivation === 'hardSigmoid') continue;
          const attrs = { recurrentActivation };
          const values = {
            x: randn([T, B, 4 * U]),
            h0: randn([B, U]).map((v) => v * 0.5),
            c0: randn([B, U]).map((v) => v * 0.5),
            kernel: randn([U, 4 * U]).map((v) => (v * 2) / Math.sqrt(U)),
            bias: randn([4 * U]).map((v) => v * 0.3),
            mask: randomMask(T, B, padded),
            dh: randn([T, B, U]),
            dc: randn([T, B, U]),
          };
          const run = (states: typeof lstmReference) => () => {
            const mask = tf.tensor2d(values.mask, [T, B]);
            const [dh, dc] = [tf.tensor3d(values.dh, [T, B, U]), tf.tensor3d(values.dc, [T, B, U])];
            const f = (x: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => {
              const [h, c] = states({ x, h0, c0, kernel, bias, mask } as Inputs, attrs);
              return tf.add(tf.sum(tf.mul(h, dh)), tf.sum(tf.mul(c, dc)));
            };
            const args = [
              tf.tensor3d(values.x, [T, B, 4 * U]), tf.tensor2d(values.h0, [B, U]), tf.tensor2d(values.c0, [B, U]),
              tf.tensor2d(values.kernel, [U, 4 * U]), tf.tensor1d(values.bias),
            ];
            const [h, c] = states({ x: args[0], h0: args[1], c0: args[2], kernel: args[3], bias: args[4], mask } as Inputs, attrs);
            return [h, c, ...tf.grads(f)(args)];
          };
          const expected = await onBackend('cpu', run(lstmReference));
          const actual = await onBackend('wasm', run(fusedStates));
          // Errors relative to the largest value of the problem (a 1x1 gradient can cancel to near zero).
          const errors = errorsAgainstLargest(actual, expected);
          ['h', 'c', 'dx', 'dh0', 'dc0', 'dkernel', 'dbias'].forEach((name, i) => {
            const error = errors[i]!;
            if (!(error <= 1e-5)) failures.push(`[T ${T}, B ${B}, U ${U}] ${recurrentActivation} padded ${padded}: ${name} relative error ${error}`);
          });
        }
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('fusedLstmSequence returns the hidden states, one kernel call per pass', async () => {
    await tf.setBackend('wasm');
    const [T, B, U] = [5, 3, 4];
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        const x = tf.randomNormal([T, B, 4 * U]) as tf.Tensor3D;
        const h = fusedLstmSequence({ x, h0: tf.zeros([B, U]), c0: tf.zeros([B, U]), kernel: tf.randomNormal([U, 4 * U]), bias: tf.zeros([4 * U]), mask: tf.ones([T, B]) }, { recurrentActivation: 'sigmoid' });
        expect(h.shape).toEqual([T, B, U]);
        tf.grads((xv: tf.Tensor) => tf.sum(fusedLstmSequence({ x: xv as tf.Tensor3D, h0: tf.zeros([B, U]), c0: tf.zeros([B, U]), kernel: tf.ones([U, 4 * U]), bias: tf.zeros([4 * U]), mask: tf.ones([T, B]) }, { recurrentActivation: 'sigmoid' })))([x]);
      });
    });
    expect(profile.kernels.filter((k) => k.name === 'OmnitrainLstmSequence').length).toBe(2);
    expect(profile.kernels.filter((k) => k.name === 'OmnitrainLstmSequenceGrad').length).toBe(1);
  });

  it('names the kernel when the backend has none, and the input when a shape is wrong', async () => {
    await tf.setBackend('cpu');
    const [T, B, U] = [2, 3, 4];
    const inputs = (h0Units: number) => ({ x: tf.zeros([T, B, 4 * U]) as tf.Tensor3D, h0: tf.zeros([B, h0Units]) as tf.Tensor2D, c0: tf.zeros([B, U]) as tf.Tensor2D, kernel: tf.zeros([U, 4 * U]) as tf.Tensor2D, bias: tf.zeros([4 * U]) as tf.Tensor1D, mask: tf.ones([T, B]) as tf.Tensor2D });
    expect(() => fusedLstmSequence(inputs(U), { recurrentActivation: 'sigmoid' })).toThrow(BackendError);
    await tf.setBackend('wasm');
    expect(() => fusedLstmSequence(inputs(U + 1), { recurrentActivation: 'sigmoid' })).toThrow(/h0 float32 \[3,4\].*\[3,5\]/);
  });
});
