// Matrix products on the wasm heap by our SIMD GEMM (assembly/gemm.ts), for the kernels here.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { gemmWasmBase64 } from './generated/gemm-wasm.js';
import { heapOffset, simdModule } from './simd-module.js';
import { alloc, dispose } from './wasm-backend.js';
import type { BackendWasm } from './wasm-backend.js';

interface GemmExports {
  gemm(
    a: number, b: number, out: number, scratch: number,
    m: number, k: number, n: number,
    aRow: number, aCol: number, bRow: number, bCol: number,
  ): void;
}

/** One product of {@link simdGemm}: operand offsets (in floats, from the tensors' starts) and the output's. */
export interface GemmBatch {
  /** Float offset of this product's A in `a`. */
  a: number;
  /** Float offset of this product's B in `b`. */
  b: number;
  /** Float offset of this product's output in `out`. */
  out: number;
}

/** The shape and strides (in floats) shared by the products of one {@link simdGemm} call. */
export interface GemmShape {
  m: number;
  k: number;
  n: number;
  /** A(i, p) = a[i * aRow + p * aCol]: [m, k] row-major is (k, 1), stored transposed [k, m] is (1, m). */
  aRow: number;
  aCol: number;
  /** B(p, j) = b[p * bRow + j * bCol]: [k, n] row-major is (n, 1), stored transposed [n, k] is (1, k). */
  bRow: number;
  bCol: number;
}

/**
 * Runs `out = A x B` for each of `batches` with the WebAssembly SIMD GEMM on the wasm heap, in place
 * (no copy of `a`, `b` or `out`; transposed operands are read through strides). 1.1-2.3x XNNPACK's
 * product on the training models' dense shapes and 14-19x the shipped kernel on attention's batched
 * [32, 32] products (README).
 *
 * @example
 * simdGemm(backend, a, b, out, { m, k, n, aRow: k, aCol: 1, bRow: n, bCol: 1 }, [{ a: 0, b: 0, out: 0 }]);
 */
export function simdGemm(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
  shape: GemmShape,
  batches: GemmBatch[],
): void {
  const { m, k, n, aRow, aCol, bRow, bCol } = shape;
  const scratch = alloc(backend, [Math.ceil(n / 8) * 8 * k + 32], 'float32', false);
  const { gemm } = simdModule<GemmExports>(backend, gemmWasmBase64);
  const aAt = heapOffset(backend, a);
  const bAt = heapOffset(backend, b);
  const oAt = heapOffset(backend, out);
  const sAt = heapOffset(backend, scratch);
  for (const t of batches) {
    gemm(aAt + 4 * t.a, bAt + 4 * t.b, oAt + 4 * t.out, sAt, m, k, n, aRow, aCol, bRow, bCol);
  }
  dispose(backend, scratch);
}
