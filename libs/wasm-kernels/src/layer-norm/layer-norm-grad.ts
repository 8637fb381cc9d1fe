import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { layerNormWasmBase64 } from '../generated/layer-norm-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { LAYER_NORM_GRAD, layerNormDims } from './layer-norm-contract.js';
import type { LayerNormAttrs } from './layer-norm-contract.js';

interface LayerNormGradExports {
  layerNormGrad(x: number, gamma: number, dy: number, dx: number, dgamma: number, dbeta: number, rows: number, d: number, eps: number): void;
}

function run(args: { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm; attrs: LayerNormAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { rows, d } = layerNormDims(LAYER_NORM_GRAD, inputs, ['gamma'], ['dy']);
  const dx = alloc(backend, inputs['x']!.shape, 'float32', false);
  const dgamma = alloc(backend, [d], 'float32', false);
  const dbeta = alloc(backend, [d], 'float32', false);
  const at = (k: string) => heapOffset(backend, inputs[k]!);
  simdModule<LayerNormGradExports>(backend, layerNormWasmBase64).layerNormGrad(
    at('x'), at('gamma'), at('dy'), heapOffset(backend, dx), heapOffset(backend, dgamma), heapOffset(backend, dbeta), rows, d, attrs.epsilon);
  return [dx, dgamma, dbeta];
}

/**
 * `OmnitrainLayerNormGrad` for wasm: the gradients of {@link layerNorm} with respect to `x`, `gamma`
 * and `beta` in one WebAssembly SIMD kernel (two passes per row; the row statistics recomputed from
 * `x`), instead of ~25 tfjs kernels. Called by {@link layerNormGradient}.
 *
 * @example tf.registerKernel(layerNormGrad); // registerWasmTrainingKernels does
 */
export const layerNormGrad: KernelConfig = {
  kernelName: LAYER_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
