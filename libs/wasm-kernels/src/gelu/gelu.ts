import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { geluWasmBase64 } from '../generated/gelu-wasm.js';
import { checkFloat32 } from '../gru/gru-contract.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { GELU } from './gelu-contract.js';

interface GeluExports {
  gelu(x: number, out: number, n: number): void;
}

function run(args: { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs['x'];
  checkFloat32(GELU, inputs, { x: x?.shape ?? [] });
  const out = alloc(backend, x!.shape, 'float32', false);
  simdModule<GeluExports>(backend, geluWasmBase64).gelu(heapOffset(backend, x!), heapOffset(backend, out), util.sizeFromShape(x!.shape));
  return out;
}

/**
 * `OmnitrainGelu` for wasm: GELU with the tanh approximation (PyTorch's `F.gelu(approximate='tanh')`)
 * in one WebAssembly SIMD pass (assembly/gelu.ts), instead of ~9 element-wise kernels. Run it
 * through {@link fusedGelu}; its gradient is {@link geluGradient}.
 *
 * @example tf.registerKernel(gelu); // registerWasmTrainingKernels does
 */
export const gelu: KernelConfig = {
  kernelName: GELU,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
