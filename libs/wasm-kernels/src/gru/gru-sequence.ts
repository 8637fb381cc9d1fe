import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gruWasmBase64 } from '../generated/gru-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc, dispose } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { GRU_SEQUENCE, gruDims } from './gru-contract.js';
import type { GruSequenceAttrs } from './gru-contract.js';

/** The exports of assembly/gru.ts. */
export interface GruExports {
  gruForwardScratch(B: number, U: number): number;
  gruBackwardScratch(T: number, B: number, U: number): number;
  gruForward(
    x: number, h0: number, w: number, bias: number, mask: number, h: number, gates: number, scratch: number,
    T: number, B: number, U: number, resetAfter: number, hard: number,
  ): void;
  gruBackward(
    dh: number, h: number, gates: number, h0: number, w: number, mask: number,
    dx: number, dh0: number, dw: number, dbias: number, scratch: number,
    T: number, B: number, U: number, resetAfter: number, hard: number,
  ): void;
}

function run(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: GruSequenceAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { T, B, U } = gruDims(inputs);
  const gru = simdModule<GruExports>(backend, gruWasmBase64);
  const out = alloc(backend, [5, T, B, U], 'float32', false); // [h; r, z, n, fourth plane]
  const scratch = alloc(backend, [gru.gruForwardScratch(B, U)], 'float32', false);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  gru.gruForward(
    at(inputs['x']!), at(inputs['h0']!), at(inputs['kernel']!), at(inputs['bias']!), at(inputs['mask']!), at(out), at(out) + 4 * T * B * U, at(scratch),
    T, B, U, attrs.resetAfter ? 1 : 0, attrs.recurrentActivation === 'hardSigmoid' ? 1 : 0,
  );
  dispose(backend, scratch);
  return out;
}

/**
 * `OmnitrainGruSequence` for wasm: a whole GRU layer's recurrence in one WebAssembly SIMD call
 * (assembly/gru.ts), instead of ~15 tfjs kernels per time step. Inputs `x` [T, B, 3U] (the input
 * projections of every step, input bias included), `h0` [B, U], `kernel` [U, 3U], `bias` [3U]
 * (recurrent), `mask` [T, B] (1 real, 0 padding); attrs {@link GruSequenceAttrs}. One output
 * [5, T, B, U]: the states of every step first, then the gates its gradient reads (one output, so
 * tfjs makes no zero gradient for a second one in JS memory: that cost more than the kernel).
 *
 * @example
 * const out = tf.engine().runKernel(GRU_SEQUENCE, { x, h0, kernel, bias, mask }, { resetAfter: true, recurrentActivation: 'sigmoid' });
 * const h = tf.reshape(tf.slice(out, [0, 0, 0, 0], [1, T, B, U]), [T, B, U]);
 */
export const gruSequence: KernelConfig = {
  kernelName: GRU_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
