import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { lstmWasmBase64 } from '../generated/lstm-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc, dispose } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { checkFloat32 } from '../gru/gru-contract.js';
import { LSTM_SEQUENCE_GRAD } from './lstm-contract.js';
import type { LstmSequenceAttrs } from './lstm-contract.js';
import type { LstmExports } from './lstm-sequence.js';

function run(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: LstmSequenceAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const [, T, B, U] = inputs['out']!.shape as [number, number, number, number];
  checkFloat32(LSTM_SEQUENCE_GRAD, inputs, { dy: [7, T, B, U], out: [7, T, B, U], h0: [B, U], c0: [B, U], kernel: [U, 4 * U], mask: [T, B] });
  const lstm = simdModule<LstmExports>(backend, lstmWasmBase64);
  const dx = alloc(backend, [T, B, 4 * U], 'float32', false);
  const dh0 = alloc(backend, [B, U], 'float32', false);
  const dc0 = alloc(backend, [B, U], 'float32', false);
  const dKernel = alloc(backend, [U, 4 * U], 'float32', false);
  const dBias = alloc(backend, [4 * U], 'float32', false);
  const scratch = alloc(backend, [lstm.lstmBackwardScratch(T, B, U)], 'float32', false);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const i = (name: string) => at(inputs[name]!);
  lstm.lstmBackward(
    i('dy'), i('out'), i('h0'), i('c0'), i('kernel'), i('mask'), at(dx), at(dh0), at(dc0), at(dKernel), at(dBias), at(scratch),
    T, B, U, attrs.recurrentActivation === 'hardSigmoid' ? 1 : 0,
  );
  dispose(backend, scratch);
  return [dx, dh0, dc0, dKernel, dBias];
}

/**
 * `OmnitrainLstmSequenceGrad` for wasm: backpropagation through time of {@link lstmSequence} in
 * one WebAssembly SIMD call (assembly/lstm.ts). Inputs `dy` [7, T, B, U] (gradients of the h and c
 * planes of the forward's output; the rest is not read), the forward's `out`, `h0`, `c0`, `kernel`,
 * `mask`; outputs dx [T, B, 4U], dh0, dc0, dKernel, dBias.
 *
 * @example
 * const [dx, dh0, dc0, dKernel, dBias] = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, { dy, out, h0, c0, kernel, mask }, attrs);
 */
export const lstmSequenceGrad: KernelConfig = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
