import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { geluWasmBase64 } from '../generated/gelu-wasm.js';
import { checkFloat32 } from '../gru/gru-contract.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { GELU_GRAD } from './gelu-contract.js';

interface GeluGradExports {
  geluGrad(x: number, dy: number, dx: number, n: number): void;
}

function run(args: { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const shape = inputs['x']?.shape ?? [];
  checkFloat32(GELU_GRAD, inputs, { x: shape, dy: shape });
  const dx = alloc(backend, shape, 'float32', false);
  simdModule<GeluGradExports>(backend, geluWasmBase64).geluGrad(
    heapOffset(backend, inputs['x']!), heapOffset(backend, inputs['dy']!), heapOffset(backend, dx), util.sizeFromShape(shape));
  return dx;
}

/**
 * `OmnitrainGeluGrad` for wasm: `dy * gelu'(x)` (tanh approximation) in one WebAssembly SIMD pass,
 * instead of ~15 element-wise kernels of the op-by-op gradient. Called by {@link geluGradient}.
 *
 * @example tf.registerKernel(geluGrad); // registerWasmTrainingKernels does
 */
export const geluGrad: KernelConfig = {
  kernelName: GELU_GRAD,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
