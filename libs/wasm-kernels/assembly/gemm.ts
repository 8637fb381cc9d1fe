// One matrix product out [m, n] = A [m, k] x B [k, n] in WebAssembly SIMD, with strided operands:
// A(i, p) = a[i * aRow + p * aCol] (so a transposed A costs nothing) and B(p, j) = b[p * bRow + j * bCol];
// B is first packed into `scratch` in panels of 8 columns. Register blocks of 4 rows x 8
// columns (8 f32x4 accumulators, one `load32_splat` per row and step), k in chunks of KC so a panel of
// B stays in L1 while every row block passes over it; partial sums are kept in `out` between chunks.
// Pointers are byte offsets into the imported memory, strides are in elements.

const KC: i32 = 256;
const MC: i32 = 64;

// @ts-ignore: decorator
@inline function tile4x8(a: usize, ar: usize, ac: usize, b: usize, br: usize, o: usize, or: usize, kc: i32, first: bool): void {
  const o1 = o + or, o2 = o1 + or, o3 = o2 + or;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  if (!first) {
    s00 = v128.load(o); s01 = v128.load(o, 16); s10 = v128.load(o1); s11 = v128.load(o1, 16);
    s20 = v128.load(o2); s21 = v128.load(o2, 16); s30 = v128.load(o3); s31 = v128.load(o3, 16);
  }
  const a1 = a + ar, a2 = a1 + ar, a3 = a2 + ar;
  let ap: usize = 0;
  let bp = b;
  for (let p = 0; p < kc; p++) {
    const d0 = v128.load(bp);
    const d1 = v128.load(bp, 16);
    const x0 = v128.load32_splat(a + ap);
    s00 = f32x4.add(s00, f32x4.mul(x0, d0));
    s01 = f32x4.add(s01, f32x4.mul(x0, d1));
    const x1 = v128.load32_splat(a1 + ap);
    s10 = f32x4.add(s10, f32x4.mul(x1, d0));
    s11 = f32x4.add(s11, f32x4.mul(x1, d1));
    const x2 = v128.load32_splat(a2 + ap);
    s20 = f32x4.add(s20, f32x4.mul(x2, d0));
    s21 = f32x4.add(s21, f32x4.mul(x2, d1));
    const x3 = v128.load32_splat(a3 + ap);
    s30 = f32x4.add(s30, f32x4.mul(x3, d0));
    s31 = f32x4.add(s31, f32x4.mul(x3, d1));
    ap += ac;
    bp += br;
  }
  v128.store(o, s00); v128.store(o, s01, 16); v128.store(o1, s10); v128.store(o1, s11, 16);
  v128.store(o2, s20); v128.store(o2, s21, 16); v128.store(o3, s30); v128.store(o3, s31, 16);
}

// @ts-ignore: decorator
@inline function tile1x8(a: usize, ac: usize, b: usize, br: usize, o: usize, kc: i32, first: bool): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  if (!first) { s0 = v128.load(o); s1 = v128.load(o, 16); }
  let ap: usize = 0;
  let bp = b;
  for (let p = 0; p < kc; p++) {
    const x0 = v128.load32_splat(a + ap);
    s0 = f32x4.add(s0, f32x4.mul(x0, v128.load(bp)));
    s1 = f32x4.add(s1, f32x4.mul(x0, v128.load(bp, 16)));
    ap += ac;
    bp += br;
  }
  v128.store(o, s0); v128.store(o, s1, 16);
}

/** Floats of scratch `gemm` needs: B packed in 8-column panels (zero-padded) plus one 4 x 8 tile. */
export function gemmScratchFloats(k: i32, n: i32): i32 {
  return ((n + 7) & ~7) * k + 32;
}

/**
 * Packs B (B(p, j) = b[p * bRow + j * bCol], [k, n]) into `packed` ({@link gemmScratchFloats} - 32
 * floats) as panels of 8 columns, [n / 8][k][8], the last one zero-padded: the inner loop then reads
 * B contiguously whatever its strides (rows of a wide B are far apart and would thrash the L1 cache's
 * sets). A B used by many products (a recurrent weight) is packed once.
 */
export function packPanels(b: usize, packed: usize, k: i32, n: i32, bRow: i32, bCol: i32): void {
  const panels = (n + 7) >> 3;
  const panelBytes = <usize>k << 5; // k rows of 8 floats
  const bcB = <usize>bCol << 2;
  const brB = <usize>bRow << 2;
  for (let q = 0; q < panels; q++) {
    const j0 = q << 3;
    const w = min(8, n - j0);
    let dst = packed + <usize>q * panelBytes;
    let src = b + <usize>j0 * bcB;
    if (w == 8 && bCol == 1) {
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
        src += brB;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let j = 0; j < 8; j++) store<f32>(dst + (<usize>j << 2), j < w ? load<f32>(src + <usize>j * bcB) : 0);
        dst += 32;
        src += brB;
      }
    }
  }
}

/**
 * out [m, n] (rows `oRow` floats apart) = A x B, or += when `accumulate`, with B already packed by
 * {@link packPanels}; `tmp` is 32 floats for a ragged last panel.
 */
export function gemmPacked(
  a: usize, packed: usize, out: usize, tmp: usize,
  m: i32, k: i32, n: i32, aRow: i32, aCol: i32, oRow: i32, accumulate: bool,
): void {
  if (k == 0) {
    if (!accumulate) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) store<f32>(out + (<usize>(i * oRow + j) << 2), 0);
    return;
  }
  const panels = (n + 7) >> 3;
  const panelBytes = <usize>k << 5;
  const ar = <usize>aRow << 2;
  const ac = <usize>aCol << 2;
  const or = <usize>oRow << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const first = p0 == 0 && !accumulate;
    const aP = a + <usize>p0 * ac;
    for (let i0 = 0; i0 < m; i0 += MC) {
      const iEnd = min(m, i0 + MC);
      const iEnd4 = i0 + ((iEnd - i0) & ~3);
      for (let q = 0; q < panels; q++) {
        const j0 = q << 3;
        const w = min(8, n - j0);
        const bj = packed + <usize>q * panelBytes + (<usize>p0 << 5);
        const oj = out + (<usize>j0 << 2);
        if (w == 8) {
          let i = i0;
          for (; i < iEnd4; i += 4) tile4x8(aP + <usize>i * ar, ar, ac, bj, 32, oj + <usize>i * or, or, kc, first);
          for (; i < iEnd; i++) tile1x8(aP + <usize>i * ar, ac, bj, 32, oj + <usize>i * or, kc, first);
        } else {
          // A ragged last panel: through a 4 x 8 tile in tmp, copying the valid columns in and out.
          for (let i = i0; i < iEnd; i += 4) {
            const rows = min(4, iEnd - i);
            for (let r = 0; r < 4; r++) {
              for (let j = 0; j < 8; j++) {
                store<f32>(tmp + (<usize>(r * 8 + j) << 2), !first && r < rows && j < w ? load<f32>(oj + <usize>(i + r) * or + (<usize>j << 2)) : 0);
              }
            }
            if (rows == 4) tile4x8(aP + <usize>i * ar, ar, ac, bj, 32, tmp, 32, kc, false);
            else for (let r = 0; r < rows; r++) tile1x8(aP + <usize>(i + r) * ar, ac, bj, 32, tmp + (<usize>r << 5), kc, false);
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < w; j++) store<f32>(oj + <usize>(i + r) * or + (<usize>j << 2), load<f32>(tmp + (<usize>(r * 8 + j) << 2)));
            }
          }
        }
      }
    }
  }
}

/**
 * out [m, n] (row-major at `out`) = A x B as described above: B packed into `scratch`
 * ({@link gemmScratchFloats} floats) by {@link packPanels}, then {@link gemmPacked}.
 */
export function gemm(
  a: usize, b: usize, out: usize, scratch: usize,
  m: i32, k: i32, n: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32,
): void {
  packPanels(b, scratch, k, n, bRow, bCol);
  const tmp = scratch + (<usize>((n + 7) & ~7) * <usize>k << 2);
  gemmPacked(a, scratch, out, tmp, m, k, n, aRow, aCol, n, false);
}

/**
 * `batch` products, one `gemm` each: operand and output byte offsets advance by `aBatch`, `bBatch`
 * and m * n floats (a stride of 0 shares an operand across the batch).
 */
export function gemmBatched(
  a: usize, b: usize, out: usize, scratch: usize, batch: i32,
  m: i32, k: i32, n: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32, aBatch: i32, bBatch: i32,
): void {
  for (let t = 0; t < batch; t++) {
    gemm(a + (<usize>(t * aBatch) << 2), b + (<usize>(t * bBatch) << 2), out + (<usize>(t * m * n) << 2), scratch,
      m, k, n, aRow, aCol, bRow, bCol);
  }
}

/**
 * out [rows, n] += bias [n] (when `bias` != 0), then relu when `relu`: the epilogue of a dense layer's
 * fused product, in place.
 */
export function biasRelu(out: usize, bias: usize, rows: i32, n: i32, relu: bool): void {
  const n4 = n & ~3;
  const zero = f32x4.splat(0);
  let o = out;
  for (let r = 0; r < rows; r++) {
    let j = 0;
    for (; j < n4; j += 4) {
      const at = o + (<usize>j << 2);
      let v = v128.load(at);
      if (bias != 0) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
      if (relu) v = f32x4.max(v, zero);
      v128.store(at, v);
    }
    for (; j < n; j++) {
      const at = o + (<usize>j << 2);
      let v = load<f32>(at);
      if (bias != 0) v += load<f32>(bias + (<usize>j << 2));
      if (relu) v = max(v, <f32>0);
      store<f32>(at, v);
    }
    o += <usize>n << 2;
  }
}
