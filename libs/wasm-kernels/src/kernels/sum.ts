import { backend_util, Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, SumInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, dispose, runShipped } from '../wasm-backend.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { columnSumsWasmBase64 } from '../generated/column-sums-wasm.js';

interface ColumnSumsExports {
  columnSums(x: number, out: number, acc: number, rows: number, cols: number): void;
}
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
  const acc = alloc(backend, [2 * cols], 'float32', false); // cols float64s
  const { columnSums } = simdModule<ColumnSumsExports>(backend, columnSumsWasmBase64);
  columnSums(heapOffset(backend, x), heapOffset(backend, out), heapOffset(backend, acc), rows, cols);
  dispose(backend, acc);
  return out;
}

/**
 * `Sum` for wasm that reduces leading axes (every bias gradient: `dy` summed over batch and space)
 * by adding rows in place (WebAssembly SIMD, float64 sums: assembly/column-sums.ts), where the
 * shipped kernel transposes the whole input first. Other
 * reductions go to the shipped kernel.
 */
export const sum: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
