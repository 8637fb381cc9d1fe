import { backend_util, Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, SumInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32, runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: SumInputs; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return runShipped(Sum, backend, { x }, attrs as unknown as Record<string, never>);
  // Sum over the leading axes (bias and batch gradients): add rows, no transpose.
  const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
  const cols = util.sizeFromShape(x.shape.slice(axes.length));
  const kept = x.shape.slice(axes.length);
  const outShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const out = alloc(backend, outShape, 'float32', false);
  const acc = new Float64Array(cols);
  const v = f32(backend, x);
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    for (let c = 0; c < cols; c++) acc[c]! += v[at + c]!;
  }
  f32(backend, out).set(acc);
  return out;
}

/**
 * `Sum` for wasm that reduces leading axes (every bias gradient: `dy` summed over batch and space)
 * by adding rows in place, where the shipped kernel transposes the whole input first. Other
 * reductions go to the shipped kernel.
 */
export const sum: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
