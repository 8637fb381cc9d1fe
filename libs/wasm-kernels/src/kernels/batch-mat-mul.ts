import { BatchMatMul, broadcast_util, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, BatchMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gemm } from '../gemm.js';
import { alloc, dispose, f32, runShipped, transpose, view } from '../wasm-backend.js';
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
  const batchA = util.sizeFromShape(aBatchShape);
  const batchB = util.sizeFromShape(bBatchShape);

  // One matrix each: XNNPACK on whichever of out = a b and out^T = b^T a^T copies less.
  if (batchA === 1 && batchB === 1 && swappedIsCheaper(m, k, n, transposeA, transposeB)) {
    const outT = xnnProduct(backend, b, !transposeB, a, !transposeA, n, k, m); // [n, m]
    const out = transpose(backend, view(outT, [n, m]), [1, 0]);
    dispose(backend, outT);
    return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
  }
  // b shared by every batch of a (rows stacked: one tall product), or one matrix each.
  if (batchB === 1 && (batchA === 1 || !transposeA)) {
    const out = xnnProduct(backend, a, transposeA, b, transposeB, batchA * m, k, n);
    return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
  }

  // True batched products (attention). b is transposed first: the blocked loop reads rows faster.
  const bT = transposeB ? transpose(backend, view(b, [batchB, n, k]), [0, 2, 1]) : undefined;
  const out = alloc(backend, outShape, 'float32', false);
  const aIndex = broadcastIndex(aBatchShape, outBatchShape);
  const bIndex = broadcastIndex(bBatchShape, outBatchShape);
  const av = f32(backend, a);
  const bv = f32(backend, bT ?? b);
  const ov = f32(backend, out);
  // a[i, p] sits at i * aRow + p * aCol: [m, k] row-major, or [k, m] when transposed.
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  for (let o = 0; o < aIndex.length; o++) {
    gemm(av, aIndex[o] * m * k, aRow, aCol, bv, bIndex[o] * k * n, n, 1, ov, o * m * n, m, k, n);
  }
  if (bT) dispose(backend, bT);
  return out;
}

/**
 * `a [rows, k] x b [k, n]` by the shipped kernel's XNNPACK path, each operand read as stored, or
 * transposed first when `transposeX` (a stored [k, rows], b stored [n, k]). Returns [1, rows, n].
 */
function xnnProduct(
  backend: BackendWasm,
  a: TensorInfo,
  transposeA: boolean,
  b: TensorInfo,
  transposeB: boolean,
  rows: number,
  k: number,
  n: number,
): TensorInfo {
  const aT = transposeA ? transpose(backend, view(a, [k, rows]), [1, 0]) : undefined;
  const bT = transposeB ? transpose(backend, view(b, [n, k]), [1, 0]) : undefined;
  const out = runShipped(
    BatchMatMul,
    backend,
    { a: view(aT ?? a, [1, rows, k]), b: view(bT ?? b, [1, k, n]) },
    { transposeA: false, transposeB: false },
  );
  if (aT) dispose(backend, aT);
  if (bT) dispose(backend, bT);
  return out;
}

/**
 * Whether computing `out^T = b^T a^T` and transposing it moves fewer floats than `out = a b`:
 * counting the operand transposes, XNNPACK's packing of its right operand and the final transpose.
 * It is for `dy w^T` in a dense layer's backward pass ([128, 512] x [512, 784]^T: 3.5x fewer).
 */
function swappedIsCheaper(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * k + m * n;
  return swapped < direct;
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
 * `BatchMatMul` for wasm that keeps XNNPACK's speed with transposed operands (every dense-layer
 * gradient) and with a batched left operand against a shared right one.
 *
 * The shipped kernel takes XNNPACK only when neither operand is transposed and both batch sizes
 * are 1; anything else runs a naive loop 8-25x slower (which also mis-sizes its output when both
 * operands broadcast batch axes). Here a transposed operand is transposed first (a cheap copy), a
 * batched left operand with a shared right one becomes one tall matrix (16x), and true batched
 * products (attention) run a register-blocked JS loop, 1.2-1.6x the shipped one.
 */
export const batchMatMul: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
