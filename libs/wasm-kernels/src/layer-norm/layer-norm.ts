import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { layerNormWasmBase64 } from '../generated/layer-norm-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { LAYER_NORM, layerNormDims } from './layer-norm-contract.js';
import type { LayerNormAttrs } from './layer-norm-contract.js';

interface LayerNormExports {
  layerNorm(x: number, gamma: number, beta: number, out: number, rows: number, d: number, eps: number): void;
}

function run(args: { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm; attrs: LayerNormAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { rows, d } = layerNormDims(LAYER_NORM, inputs, ['gamma', 'beta'], []);
  const x = inputs['x']!;
  const out = alloc(backend, x.shape, 'float32', false);
  const at = (k: string) => heapOffset(backend, inputs[k]!);
  simdModule<LayerNormExports>(backend, layerNormWasmBase64).layerNorm(at('x'), at('gamma'), at('beta'), heapOffset(backend, out), rows, d, attrs.epsilon);
  return out;
}

/**
 * `OmnitrainLayerNorm` for wasm: layer normalization over the last axis with a scale and shift
 * (PyTorch's `nn.LayerNorm`) in one WebAssembly SIMD pass per row (assembly/layer-norm.ts), instead
 * of ~10 tfjs kernels. Run it through {@link fusedLayerNorm}; its gradient is {@link layerNormGradient}.
 *
 * @example tf.registerKernel(layerNorm); // registerWasmTrainingKernels does
 */
export const layerNorm: KernelConfig = {
  kernelName: LAYER_NORM,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
