import { Transpose } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, TransposeAttrs, TransposeInputs } from '@tensorflow/tfjs-core';
import { transposeWasmBase64 } from '../generated/transpose-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { mergeAxes } from '../transpose-copy.js';
import { alloc, runShipped, transpose as transposeWasm } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

interface TransposeExports {
  copyRuns(src: number, dst: number, n0: number, n1: number, n2: number, s0: number, s1: number, s2: number, run: number): void;
}

function run(args: { inputs: TransposeInputs; backend: BackendWasm; attrs: TransposeAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return runShipped(Transpose, backend, { x }, attrs as unknown as Record<string, never>);
  const perm = attrs.perm.map((p) => (p < 0 ? p + x.shape.length : p));
  const { sizes, strides } = mergeAxes(x.shape, perm);
  const r = sizes.length;
  if (r >= 2 && r <= 4 && strides[r - 1] === 1 && sizes[r - 1]! >= 4) {
    // Contiguous runs of at least 4 elements (attention heads): one SIMD call for the whole tensor.
    const out = alloc(backend, perm.map((p) => x.shape[p]!), x.dtype, false);
    const [n0, n1, n2] = [...Array<number>(4 - r).fill(1), ...sizes.slice(0, -1)];
    const [s0, s1, s2] = [...Array<number>(4 - r).fill(0), ...strides.slice(0, -1)];
    simdModule<TransposeExports>(backend, transposeWasmBase64).copyRuns(
      heapOffset(backend, x), heapOffset(backend, out), n0!, n1!, n2!, s0!, s1!, s2!, sizes[r - 1]!);
    return out;
  }
  return transposeWasm(backend, x, perm);
}

/**
 * `Transpose` for wasm, 3-8x the shipped kernel (which computes every element's index): when the
 * innermost output axis is contiguous in the input (attention's head transposes), one WebAssembly
 * SIMD call copying runs (assembly/transpose.ts); else tiled JS. Dense-layer gradients transpose an
 * operand per product, attention transposes heads.
 */
export const transpose: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
