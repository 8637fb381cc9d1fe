import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { lstmWasmBase64 } from '../generated/lstm-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc, dispose } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { LSTM_SEQUENCE, lstmDims } from './lstm-contract.js';
import type { LstmSequenceAttrs } from './lstm-contract.js';

/** The exports of assembly/lstm.ts. */
export interface LstmExports {
  lstmForwardScratch(B: number, U: number): number;
  lstmBackwardScratch(T: number, B: number, U: number): number;
  lstmForward(
    x: number, h0: number, c0: number, w: number, bias: number, mask: number, out: number, scratch: number,
    T: number, B: number, U: number, hard: number,
  ): void;
  lstmBackward(
    dy: number, out: number, h0: number, c0: number, w: number, mask: number,
    dx: number, dh0: number, dc0: number, dw: number, dbias: number, scratch: number,
    T: number, B: number, U: number, hard: number,
  ): void;
}

function run(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: LstmSequenceAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { T, B, U } = lstmDims(inputs);
  const lstm = simdModule<LstmExports>(backend, lstmWasmBase64);
  const out = alloc(backend, [7, T, B, U], 'float32', false); // h, c, then i, f, g, o, tanh(c')
  const scratch = alloc(backend, [lstm.lstmForwardScratch(B, U)], 'float32', false);
  const at = (name: string) => heapOffset(backend, inputs[name]!);
  lstm.lstmForward(
    at('x'), at('h0'), at('c0'), at('kernel'), at('bias'), at('mask'), heapOffset(backend, out), heapOffset(backend, scratch),
    T, B, U, attrs.recurrentActivation === 'hardSigmoid' ? 1 : 0,
  );
  dispose(backend, scratch);
  return out;
}

/**
 * `OmnitrainLstmSequence` for wasm: a whole LSTM layer's recurrence in one WebAssembly SIMD call
 * (assembly/lstm.ts). Inputs `x` [T, B, 4U] (input projections, input bias included; gate blocks
 * i, f, g, o), `h0`, `c0` [B, U], `kernel` [U, 4U], `bias` [4U] (recurrent), `mask` [T, B];
 * attrs {@link LstmSequenceAttrs}. One output [7, T, B, U]: the h and c states of every step, then
 * the gates its gradient reads.
 *
 * @example
 * const out = tf.engine().runKernel(LSTM_SEQUENCE, { x, h0, c0, kernel, bias, mask }, { recurrentActivation: 'hardSigmoid' });
 */
export const lstmSequence: KernelConfig = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
