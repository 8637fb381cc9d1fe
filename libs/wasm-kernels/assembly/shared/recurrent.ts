// Helpers of the fused recurrent kernels (assembly/gru.ts, assembly/lstm.ts): lanes, activations, the
// weight-gradient products. In a subfolder so that tools/build-wasm.mjs does not build it as a module
// of its own (its v128 helpers cannot be wasm exports).
import { gemmPacked, packPanels } from '../gemm';
import { tanh4 } from '../tanh';

// @ts-ignore: decorator
@inline export function ld(p: usize, wide: bool): v128 {
  return wide ? v128.load(p) : f32x4.splat(load<f32>(p));
}
// @ts-ignore: decorator
@inline export function st(p: usize, v: v128, wide: bool): void {
  if (wide) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}
// @ts-ignore: decorator
@inline export function act(v: v128, hard: bool): v128 {
  if (hard) return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(v, f32x4.splat(0.2)), f32x4.splat(0.5)), f32x4.splat(0)), f32x4.splat(1));
  // sigmoid(v) = (1 + tanh(v / 2)) / 2
  return f32x4.add(f32x4.mul(tanh4(f32x4.mul(v, f32x4.splat(0.5))), f32x4.splat(0.5)), f32x4.splat(0.5));
}
/** act'(v) from y = act(v). */
// @ts-ignore: decorator
@inline export function actGrad(y: v128, hard: bool): v128 {
  if (hard) return v128.and(v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, f32x4.splat(1))), f32x4.splat(0.2));
  return f32x4.mul(y, f32x4.sub(f32x4.splat(1), y));
}
// @ts-ignore: decorator
@inline export function pad8(n: i32): i32 {
  return (n + 7) & ~7;
}
// @ts-ignore: decorator
@inline export function f(n: i32): usize {
  return <usize>n << 2;
}

/** Column sums of a [rows, n] matrix into out [n] (the bias gradients; also assembly/lstm.ts'). */
export function columnSums(a: usize, out: usize, rows: i32, n: i32): void {
  for (let j = 0; j < n; j++) store<f32>(out + f(j), 0);
  const n4 = n & ~3;
  for (let i = 0; i < rows; i++) {
    const row = a + f(i * n);
    let j = 0;
    for (; j < n4; j += 4) v128.store(out + f(j), f32x4.add(v128.load(out + f(j)), v128.load(row + f(j))));
    for (; j < n; j++) store<f32>(out + f(j), load<f32>(out + f(j)) + load<f32>(row + f(j)));
  }
}

/** Rows of the right operand packed at a time by {@link transposedProducts}: scratch stays small for long sequences. */
export const CHUNK_ROWS: i32 = 256;

/**
 * out [U, cols] (rows `oRow` floats apart) = A^T d, or += when `accumulate`: A(p, i) = a[p * aRow + i]
 * ([rows, U]), d the first `cols` columns of the [rows, dRow] matrix at `d`; the right operand packed
 * {@link CHUNK_ROWS} rows at a time into `pk` (pad8(cols) * CHUNK_ROWS floats).
 */
export function transposedProducts(
  a: usize, aRow: i32, d: usize, dRow: i32, cols: i32, rows: i32, out: usize, oRow: i32, pk: usize, tmp: usize, U: i32, accumulate: bool,
): void {
  for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
    const n = min(CHUNK_ROWS, rows - r0);
    packPanels(d + f(r0 * dRow), pk, n, cols, dRow, 1);
    gemmPacked(a + f(r0 * aRow), pk, out, tmp, U, n, cols, 1, aRow, oRow, accumulate || r0 > 0);
  }
}

/**
 * dw[:, 0:cols] = [h0; h_0 .. h_{T-2}]^T d (d: the first `cols` columns of the [T B, srcRow] matrix at
 * `src`; dw rows `srcRow` floats apart): a recurrent weight gradient over all steps (h0 apart, the
 * other states contiguous in `h`).
 */
export function previousStateProducts(
  src: usize, srcRow: i32, cols: i32, h0: usize, h: usize, dw: usize, pk: usize, tmp: usize, T: i32, B: i32, U: i32,
): void {
  transposedProducts(h0, U, src, srcRow, cols, B, dw, srcRow, pk, tmp, U, false);
  transposedProducts(h, U, src + f(B * srcRow), srcRow, cols, (T - 1) * B, dw, srcRow, pk, tmp, U, true);
}
