import { BatchMatMul, broadcast_util, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, BatchMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdGemm } from '../simd-gemm.js';
import type { GemmBatch } from '../simd-gemm.js';
import { gemm } from '../gemm.js';
import { alloc, f32, runShipped } from '../wasm-backend.js';

/** Below this many outputs a product runs in float64 JS (as exact as the cpu backend's), else SIMD float32. */
const TINY_OUTPUT = 32;
import type { BackendWasm } from '../wasm-backend.js';

function run(args: {
  inputs: BatchMatMulInputs;
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const { transposeA, transposeB } = attrs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runShipped(BatchMatMul, backend, { a, b }, { transposeA, transposeB }); // throws its own error
  }
  return matMul(backend, a, b, transposeA, transposeB);
}

/**
 * The float32 product of `BatchMatMul` (batch axes broadcast, operands optionally transposed) as a
 * new tensor on the wasm heap; `_FusedMatMul` shares it.
 *
 * @example
 * const out = matMul(backend, a, b, false, true); // a x b^T
 */
export function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const m = a.shape[aRank - (transposeA ? 1 : 2)];
  const k = a.shape[aRank - (transposeA ? 2 : 1)];
  const kB = b.shape[bRank - (transposeB ? 1 : 2)];
  const n = b.shape[bRank - (transposeB ? 2 : 1)];
  util.assert(
    k === kB,
    () =>
      `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const outBatchShape = broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  const outShape = [...outBatchShape, m, n];

  const out = alloc(backend, outShape, 'float32', false);
  const aIndex = broadcastIndex(aBatchShape, outBatchShape);
  const bIndex = broadcastIndex(bBatchShape, outBatchShape);
  if (aIndex.length * m * n < TINY_OUTPUT) {
    // A handful of outputs (dot products, where float32 sums can cancel): the float64 JS loop.
    const av = f32(backend, a);
    const bv = f32(backend, b);
    const ov = f32(backend, out);
    const [aRow, aCol, bRow, bCol] = [transposeA ? 1 : k, transposeA ? m : 1, transposeB ? 1 : n, transposeB ? k : 1];
    for (let o = 0; o < aIndex.length; o++) {
      gemm(av, aIndex[o] * m * k, aRow, aCol, bv, bIndex[o] * k * n, bRow, bCol, ov, o * m * n, m, k, n);
    }
    return out;
  }
  const batches: GemmBatch[] = [];
  for (let o = 0; o < aIndex.length; o++) batches.push({ a: aIndex[o] * m * k, b: bIndex[o] * k * n, out: o * m * n });
  // Stored [m, k] or (transposed) [k, m]; [k, n] or [n, k]: read through strides, no transpose.
  simdGemm(
    backend,
    a,
    b,
    out,
    { m, k, n, aRow: transposeA ? 1 : k, aCol: transposeA ? m : 1, bRow: transposeB ? 1 : n, bCol: transposeB ? k : 1 },
    batches,
  );
  return out;
}

/** For each batch of the broadcast output (row-major), the batch of the input it reads. */
function broadcastIndex(inShape: number[], outShape: number[]): Int32Array {
  const size = util.sizeFromShape(outShape);
  const index = new Int32Array(size);
  const offset = outShape.length - inShape.length;
  const inStrides = util.computeStrides(inShape);
  for (let o = 0; o < size; o++) {
    let rest = o;
    let at = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      const coord = rest % outShape[d];
      rest = (rest - coord) / outShape[d];
      const di = d - offset;
      if (di >= 0 && inShape[di] !== 1) at += coord * (di === inShape.length - 1 ? 1 : inStrides[di]);
    }
    index[o] = at;
  }
  return index;
}

/**
 * `BatchMatMul` for wasm: every float32 product (plain, transposed operands, batched, broadcast
 * batches) by the WebAssembly SIMD GEMM of assembly/gemm.ts on the wasm heap, transposed operands
 * read through strides (no copies). Measured same-process (bench/gemm.mjs): 1.1-2.3x the shipped
 * XNNPACK path (plus its transposes) on dense-layer shapes and 14-19x the shipped kernel on batched
 * attention products, whose shipped loop also mis-sizes its output when both operands broadcast.
 */
export const batchMatMul: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
