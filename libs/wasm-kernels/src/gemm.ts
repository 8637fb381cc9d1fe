/**
 * One matrix product in plain JS, `out[i, j] = sum_p a[i, p] * b[p, j]`, overwriting `out`
 * ([m, n] row-major at `oOff`). Operands are read through strides, so a transposed operand needs no
 * copy: `a[i, p]` is `a[aOff + i * aRow + p * aCol]`, `b[p, j]` is `b[bOff + p * bRow + j * bCol]`.
 *
 * Computes 4x4 output blocks with 16 accumulators in registers (8 loads per 16 multiply-adds
 * instead of 3 per 1), about 3x the speed of the textbook i-k-j loop in V8, and accumulates in
 * float64. Worth it for many small products (attention); one large product is faster through
 * XNNPACK.
 *
 * @example gemm(a, 0, k, 1, b, 0, n, 1, out, 0, m, k, n); // out = a [m, k] x b [k, n]
 */
export function gemm(
  a: Float32Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float32Array,
  bOff: number,
  bRow: number,
  bCol: number,
  out: Float32Array,
  oOff: number,
  m: number,
  k: number,
  n: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * aRow;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bOff + j * bCol;
      const b1 = b0 + bCol;
      const b2 = b1 + bCol;
      const b3 = b2 + bCol;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const pa = p * aCol;
        const pb = p * bRow;
        const x0 = a[a0 + pa], x1 = a[a1 + pa], x2 = a[a2 + pa], x3 = a[a3 + pa];
        const y0 = b[b0 + pb], y1 = b[b1 + pb], y2 = b[b2 + pb], y3 = b[b3 + pb];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let o = oOff + i * n + j;
      out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += n;
      out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += n;
      out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += n;
      out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
    }
  }
  // The ragged right columns of the blocked rows, then the ragged bottom rows.
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let c = 0;
      for (let p = 0; p < k; p++) c += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
      out[oOff + i * n + j] = c;
    }
  }
}
