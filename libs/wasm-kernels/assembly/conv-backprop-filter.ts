// Conv2DBackpropFilter as a direct SIMD loop (no im2col matrix): dW[k, co] = sum_p x[p, k] dy[p, co]
// over every output position p, where row k = (fy, fx, ci) of the filter reads the input at a fixed
// element offset `offs[k]` from the position's base (the input is padded beforehand, so every read
// is inside it). Output rows are register-blocked 4 at a time (one `load32_splat` each) against 8
// output channels (two f32x4), i.e. 8 accumulators, 32 multiply-adds per 6 loads. Work is done one
// output row (b, oy) at a time, so the dy row and the few input rows it reads stay in cache, and the
// running sums live in dW itself (small: taps * cIn * cOut floats).
//
// Pointers are byte offsets into the imported memory; strides are in elements (floats).

/** Zeroes `n` floats at `at`. */
function zero(at: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(at + (<usize>i << 2), 0);
}

/**
 * dW [k, cOut] (row-major at `dw`) = sum over b < batch, oy < oh, ox < ow of
 * x[xBase(b, oy, ox) + offs[k]] * dy[((b * oh + oy) * ow + ox) * cOut + co],
 * xBase = b * imageStride + oy * rowStride + ox * colStride. `offs` holds k int32 element offsets.
 */
export function convBackpropFilter(
  x: usize, dy: usize, dw: usize, offs: usize,
  batch: i32, oh: i32, ow: i32, k: i32, cOut: i32,
  imageStride: i32, rowStride: i32, colStride: i32,
): void {
  zero(dw, k * cOut);
  const k4 = k & ~3;
  const c8 = cOut & ~7;
  const c4 = cOut & ~3;
  const xStep = <usize>colStride << 2;
  const dyStep = <usize>cOut << 2;
  const dwRow = <usize>cOut << 2;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const xRow = x + ((<usize>b * imageStride + <usize>oy * rowStride) << 2);
      const dyRow = dy + ((<usize>(b * oh + oy) * ow * cOut) << 2);
      let kb = 0;
      for (; kb < k4; kb += 4) {
        const x0 = xRow + (<usize>load<i32>(offs + (<usize>kb << 2)) << 2);
        const x1 = xRow + (<usize>load<i32>(offs + (<usize>(kb + 1) << 2)) << 2);
        const x2 = xRow + (<usize>load<i32>(offs + (<usize>(kb + 2) << 2)) << 2);
        const x3 = xRow + (<usize>load<i32>(offs + (<usize>(kb + 3) << 2)) << 2);
        const w0 = dw + <usize>kb * dwRow;
        const w1 = w0 + dwRow;
        const w2 = w1 + dwRow;
        const w3 = w2 + dwRow;
        let c = 0;
        for (; c < c8; c += 8) {
          const cc = <usize>c << 2;
          let s00 = v128.load(w0 + cc), s01 = v128.load(w0 + cc, 16);
          let s10 = v128.load(w1 + cc), s11 = v128.load(w1 + cc, 16);
          let s20 = v128.load(w2 + cc), s21 = v128.load(w2 + cc, 16);
          let s30 = v128.load(w3 + cc), s31 = v128.load(w3 + cc, 16);
          let d = dyRow + cc;
          let xo: usize = 0;
          for (let ox = 0; ox < ow; ox++) {
            const d0 = v128.load(d);
            const d1 = v128.load(d, 16);
            const a0 = v128.load32_splat(x0 + xo);
            s00 = f32x4.add(s00, f32x4.mul(a0, d0));
            s01 = f32x4.add(s01, f32x4.mul(a0, d1));
            const a1 = v128.load32_splat(x1 + xo);
            s10 = f32x4.add(s10, f32x4.mul(a1, d0));
            s11 = f32x4.add(s11, f32x4.mul(a1, d1));
            const a2 = v128.load32_splat(x2 + xo);
            s20 = f32x4.add(s20, f32x4.mul(a2, d0));
            s21 = f32x4.add(s21, f32x4.mul(a2, d1));
            const a3 = v128.load32_splat(x3 + xo);
            s30 = f32x4.add(s30, f32x4.mul(a3, d0));
            s31 = f32x4.add(s31, f32x4.mul(a3, d1));
            d += dyStep;
            xo += xStep;
          }
          v128.store(w0 + cc, s00); v128.store(w0 + cc, s01, 16);
          v128.store(w1 + cc, s10); v128.store(w1 + cc, s11, 16);
          v128.store(w2 + cc, s20); v128.store(w2 + cc, s21, 16);
          v128.store(w3 + cc, s30); v128.store(w3 + cc, s31, 16);
        }
        for (; c < c4; c += 4) {
          const cc = <usize>c << 2;
          let s0 = v128.load(w0 + cc), s1 = v128.load(w1 + cc), s2 = v128.load(w2 + cc), s3 = v128.load(w3 + cc);
          let d = dyRow + cc;
          let xo: usize = 0;
          for (let ox = 0; ox < ow; ox++) {
            const d0 = v128.load(d);
            s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(x0 + xo), d0));
            s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(x1 + xo), d0));
            s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(x2 + xo), d0));
            s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(x3 + xo), d0));
            d += dyStep;
            xo += xStep;
          }
          v128.store(w0 + cc, s0); v128.store(w1 + cc, s1); v128.store(w2 + cc, s2); v128.store(w3 + cc, s3);
        }
        for (; c < cOut; c++) {
          const cc = <usize>c << 2;
          let s0 = load<f32>(w0 + cc), s1 = load<f32>(w1 + cc), s2 = load<f32>(w2 + cc), s3 = load<f32>(w3 + cc);
          let d = dyRow + cc;
          let xo: usize = 0;
          for (let ox = 0; ox < ow; ox++) {
            const g = load<f32>(d);
            s0 += load<f32>(x0 + xo) * g;
            s1 += load<f32>(x1 + xo) * g;
            s2 += load<f32>(x2 + xo) * g;
            s3 += load<f32>(x3 + xo) * g;
            d += dyStep;
            xo += xStep;
          }
          store<f32>(w0 + cc, s0); store<f32>(w1 + cc, s1); store<f32>(w2 + cc, s2); store<f32>(w3 + cc, s3);
        }
      }
      for (; kb < k; kb++) {
        const x0 = xRow + (<usize>load<i32>(offs + (<usize>kb << 2)) << 2);
        const w0 = dw + <usize>kb * dwRow;
        let c = 0;
        for (; c < c8; c += 8) {
          const cc = <usize>c << 2;
          let s0 = v128.load(w0 + cc), s1 = v128.load(w0 + cc, 16);
          let d = dyRow + cc;
          let xo: usize = 0;
          for (let ox = 0; ox < ow; ox++) {
            const a0 = v128.load32_splat(x0 + xo);
            s0 = f32x4.add(s0, f32x4.mul(a0, v128.load(d)));
            s1 = f32x4.add(s1, f32x4.mul(a0, v128.load(d, 16)));
            d += dyStep;
            xo += xStep;
          }
          v128.store(w0 + cc, s0); v128.store(w0 + cc, s1, 16);
        }
        for (; c < cOut; c++) {
          const cc = <usize>c << 2;
          let s0 = load<f32>(w0 + cc);
          let d = dyRow + cc;
          let xo: usize = 0;
          for (let ox = 0; ox < ow; ox++) {
            s0 += load<f32>(x0 + xo) * load<f32>(d);
            d += dyStep;
            xo += xStep;
          }
          store<f32>(w0 + cc, s0);
        }
      }
    }
  }
}
