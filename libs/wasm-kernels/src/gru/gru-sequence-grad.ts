import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gruWasmBase64 } from '../generated/gru-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc, dispose } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { GRU_SEQUENCE_GRAD, gruDims } from './gru-contract.js';
import type { GruSequenceAttrs } from './gru-contract.js';
import type { GruExports } from './gru-sequence.js';

function run(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: GruSequenceAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, out, h0, kernel, mask } = inputs as Record<string, TensorInfo>;
  const [, T, B, U] = out!.shape as [number, number, number, number];
  const x = { shape: [T, B, 3 * U], dtype: 'float32' } as TensorInfo; // only its shape is checked
  gruDims({ x, h0, kernel, bias: { shape: [3 * U], dtype: 'float32' } as TensorInfo, mask });
  const gru = simdModule<GruExports>(backend, gruWasmBase64);
  const dx = alloc(backend, [T, B, 3 * U], 'float32', false);
  const dh0 = alloc(backend, [B, U], 'float32', false);
  const dKernel = alloc(backend, [U, 3 * U], 'float32', false);
  const dBias = alloc(backend, [3 * U], 'float32', false);
  const scratch = alloc(backend, [gru.gruBackwardScratch(T, B, U)], 'float32', false);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  gru.gruBackward(
    at(dy!), at(out!), at(out!) + 4 * T * B * U, at(h0!), at(kernel!), at(mask!), at(dx), at(dh0), at(dKernel), at(dBias), at(scratch),
    T, B, U, attrs.resetAfter ? 1 : 0, attrs.recurrentActivation === 'hardSigmoid' ? 1 : 0,
  );
  dispose(backend, scratch);
  return [dx, dh0, dKernel, dBias];
}

/**
 * `OmnitrainGruSequenceGrad` for wasm: backpropagation through time of {@link gruSequence} in one
 * WebAssembly SIMD call (assembly/gru.ts): one product with the recurrent weights per step, the
 * weight gradient as one product over all steps. Inputs `dy` [5, T, B, U] (the gradient of the
 * forward's output: of every state in its first plane; the rest is not read), the forward's `out`,
 * `h0`, `kernel`, `mask`; outputs dx [T, B, 3U], dh0, dKernel, dBias.
 *
 * @example
 * const [dx, dh0, dKernel, dBias] = tf.engine().runKernel(GRU_SEQUENCE_GRAD, { dy, out, h0, kernel, mask }, attrs);
 */
export const gruSequenceGrad: KernelConfig = {
  kernelName: GRU_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
