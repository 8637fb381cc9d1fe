// Log-mel spectrogram kernel (AssemblyScript, WebAssembly SIMD), built by tools/build-wasm.mjs into
// libs/audio/src/generated/log-mel-wasm.ts and driven by src/spectral/wasm-mel-kernel.ts.
//
// Four frames at a time, one per f32x4 lane: every butterfly, the real-FFT split, the power, the
// sparse mel product and the logarithm are plain f32x4 arithmetic with no shuffles (only the 4x4
// transposes that gather the frames). The complex FFT of nFft / 2 points is a Stockham autosort
// mixed-radix (4, 2, 3, 5) FFT, so 400 (200 = 4 * 2 * 5 * 5) needs no padding and no Bluestein.
// The module owns no memory and no static data: every table (plan, twiddles, window, mel weights)
// is computed in JavaScript and written into the caller's memory; arguments are byte offsets.
//
// Plan layout (i32 / f32 fields at plan + 4 * index; see PLAN_* in wasm-mel-kernel.ts):
//   0 nFft   1 points (nFft / 2)   2 hop   3 stages   4 split twiddles (re[h + 1], im[h + 1])
//   5 window (f32[nFft])   6 nMels   7 band first bin (i32[nMels])   8 band offsets (i32[nMels + 1])
//   9 band weights (f32)   10 buffer A   11 buffer B (each f32x4[points] re, then f32x4[points] im)
//   12 power (f32x4[bins])   13 power exponent (1 or 2)   14 f32 scale   15 dB (0 = mel power, 1 = dB)
//   16 f32 dB multiplier / ln 10   17 f32 amin   18 f32 dB offset
//   stage i at plan + 80 + 16 i: radix, m, s, twiddles (re[m (radix - 1)], then im[m (radix - 1)])

// @ts-nocheck: AssemblyScript, not TypeScript (the repo's tsconfigs do not include assembly/).

const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const SQRT2: f32 = 1.41421356;

@inline function cmulRe(ar: v128, ai: v128, wr: v128, wi: v128): v128 {
  return f32x4.sub(f32x4.mul(ar, wr), f32x4.mul(ai, wi));
}

@inline function cmulIm(ar: v128, ai: v128, wr: v128, wi: v128): v128 {
  return f32x4.add(f32x4.mul(ar, wi), f32x4.mul(ai, wr));
}

/** Stores (br + i bi) (wr + i wi) at byte offset `at` of the split output. */
@inline function storeTwiddled(yr: usize, yi: usize, at: usize, br: v128, bi: v128, wr: v128, wi: v128): void {
  v128.store(yr + at, cmulRe(br, bi, wr, wi));
  v128.store(yi + at, cmulIm(br, bi, wr, wi));
}

/** One radix-2 Stockham stage: y[q + s (2 p + u)] = (sum_t x[q + s (p + t m)] w2^{t u}) tw[p][u]. */
function radix2(m: i32, s: i32, tw: usize, xr: usize, xi: usize, yr: usize, yi: usize): void {
  const twi = tw + <usize>(m << 2);
  const sm = <usize>(s * m) << 4;
  for (let p = 0; p < m; p++) {
    const wr = v128.load32_splat(tw + (<usize>p << 2));
    const wi = v128.load32_splat(twi + (<usize>p << 2));
    for (let q = 0; q < s; q++) {
      const i0 = <usize>(q + s * p) << 4;
      const o = <usize>(q + s * 2 * p) << 4;
      const os = <usize>s << 4;
      const ar = v128.load(xr + i0), ai = v128.load(xi + i0);
      const br = v128.load(xr + i0 + sm), bi = v128.load(xi + i0 + sm);
      v128.store(yr + o, f32x4.add(ar, br));
      v128.store(yi + o, f32x4.add(ai, bi));
      const dr = f32x4.sub(ar, br), di = f32x4.sub(ai, bi);
      storeTwiddled(yr, yi, o + os, dr, di, wr, wi);
    }
  }
}

function radix3(m: i32, s: i32, tw: usize, xr: usize, xi: usize, yr: usize, yi: usize): void {
  const twi = tw + <usize>(2 * m << 2);
  const sm = <usize>(s * m) << 4;
  const os = <usize>s << 4;
  const half = f32x4.splat(0.5);
  const sin60 = f32x4.splat(0.866025403784438647);
  for (let p = 0; p < m; p++) {
    const t = tw + (<usize>(2 * p) << 2), ti = twi + (<usize>(2 * p) << 2);
    const w1r = v128.load32_splat(t), w1i = v128.load32_splat(ti);
    const w2r = v128.load32_splat(t + 4), w2i = v128.load32_splat(ti + 4);
    for (let q = 0; q < s; q++) {
      const i0 = <usize>(q + s * p) << 4;
      const o = <usize>(q + s * 3 * p) << 4;
      const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
      const t1r = f32x4.add(a1r, a2r), t1i = f32x4.add(a1i, a2i);
      const t2r = f32x4.sub(a0r, f32x4.mul(half, t1r)), t2i = f32x4.sub(a0i, f32x4.mul(half, t1i));
      // -i sin(60) (a1 - a2)
      const t3r = f32x4.mul(sin60, f32x4.sub(a1i, a2i)), t3i = f32x4.mul(sin60, f32x4.sub(a2r, a1r));
      v128.store(yr + o, f32x4.add(a0r, t1r));
      v128.store(yi + o, f32x4.add(a0i, t1i));
      const b1r = f32x4.add(t2r, t3r), b1i = f32x4.add(t2i, t3i);
      const b2r = f32x4.sub(t2r, t3r), b2i = f32x4.sub(t2i, t3i);
      storeTwiddled(yr, yi, o + os, b1r, b1i, w1r, w1i);
      storeTwiddled(yr, yi, o + 2 * os, b2r, b2i, w2r, w2i);
    }
  }
}

function radix4(m: i32, s: i32, tw: usize, xr: usize, xi: usize, yr: usize, yi: usize): void {
  const twi = tw + <usize>(3 * m << 2);
  const sm = <usize>(s * m) << 4;
  const os = <usize>s << 4;
  for (let p = 0; p < m; p++) {
    const t = tw + (<usize>(3 * p) << 2), ti = twi + (<usize>(3 * p) << 2);
    const w1r = v128.load32_splat(t), w1i = v128.load32_splat(ti);
    const w2r = v128.load32_splat(t + 4), w2i = v128.load32_splat(ti + 4);
    const w3r = v128.load32_splat(t + 8), w3i = v128.load32_splat(ti + 8);
    for (let q = 0; q < s; q++) {
      const i0 = <usize>(q + s * p) << 4;
      const o = <usize>(q + s * 4 * p) << 4;
      const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
      const a3r = v128.load(xr + i0 + 3 * sm), a3i = v128.load(xi + i0 + 3 * sm);
      const s02r = f32x4.add(a0r, a2r), s02i = f32x4.add(a0i, a2i);
      const d02r = f32x4.sub(a0r, a2r), d02i = f32x4.sub(a0i, a2i);
      const s13r = f32x4.add(a1r, a3r), s13i = f32x4.add(a1i, a3i);
      const d13r = f32x4.sub(a1r, a3r), d13i = f32x4.sub(a1i, a3i);
      v128.store(yr + o, f32x4.add(s02r, s13r));
      v128.store(yi + o, f32x4.add(s02i, s13i));
      // b1 = (a0 - a2) - i (a1 - a3); b3 = (a0 - a2) + i (a1 - a3)
      const b1r = f32x4.add(d02r, d13i), b1i = f32x4.sub(d02i, d13r);
      const b2r = f32x4.sub(s02r, s13r), b2i = f32x4.sub(s02i, s13i);
      const b3r = f32x4.sub(d02r, d13i), b3i = f32x4.add(d02i, d13r);
      storeTwiddled(yr, yi, o + os, b1r, b1i, w1r, w1i);
      storeTwiddled(yr, yi, o + 2 * os, b2r, b2i, w2r, w2i);
      storeTwiddled(yr, yi, o + 3 * os, b3r, b3i, w3r, w3i);
    }
  }
}

function radix5(m: i32, s: i32, tw: usize, xr: usize, xi: usize, yr: usize, yi: usize): void {
  const twi = tw + <usize>(4 * m << 2);
  const sm = <usize>(s * m) << 4;
  const os = <usize>s << 4;
  const c1 = f32x4.splat(0.309016994374947424); // cos(2 pi / 5)
  const c2 = f32x4.splat(-0.809016994374947424); // cos(4 pi / 5)
  const s1 = f32x4.splat(0.951056516295153572); // sin(2 pi / 5)
  const s2 = f32x4.splat(0.587785252292473129); // sin(4 pi / 5)
  for (let p = 0; p < m; p++) {
    const t = tw + (<usize>(4 * p) << 2), ti = twi + (<usize>(4 * p) << 2);
    const w1r = v128.load32_splat(t), w1i = v128.load32_splat(ti);
    const w2r = v128.load32_splat(t + 4), w2i = v128.load32_splat(ti + 4);
    const w3r = v128.load32_splat(t + 8), w3i = v128.load32_splat(ti + 8);
    const w4r = v128.load32_splat(t + 12), w4i = v128.load32_splat(ti + 12);
    for (let q = 0; q < s; q++) {
      const i0 = <usize>(q + s * p) << 4;
      const o = <usize>(q + s * 5 * p) << 4;
      const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
      const a3r = v128.load(xr + i0 + 3 * sm), a3i = v128.load(xi + i0 + 3 * sm);
      const a4r = v128.load(xr + i0 + 4 * sm), a4i = v128.load(xi + i0 + 4 * sm);
      const t1r = f32x4.add(a1r, a4r), t1i = f32x4.add(a1i, a4i);
      const d1r = f32x4.sub(a1r, a4r), d1i = f32x4.sub(a1i, a4i);
      const t2r = f32x4.add(a2r, a3r), t2i = f32x4.add(a2i, a3i);
      const d2r = f32x4.sub(a2r, a3r), d2i = f32x4.sub(a2i, a3i);
      const e1r = f32x4.add(a0r, f32x4.add(f32x4.mul(c1, t1r), f32x4.mul(c2, t2r)));
      const e1i = f32x4.add(a0i, f32x4.add(f32x4.mul(c1, t1i), f32x4.mul(c2, t2i)));
      const e2r = f32x4.add(a0r, f32x4.add(f32x4.mul(c2, t1r), f32x4.mul(c1, t2r)));
      const e2i = f32x4.add(a0i, f32x4.add(f32x4.mul(c2, t1i), f32x4.mul(c1, t2i)));
      // -i (s1 d1 + s2 d2) and -i (s2 d1 - s1 d2); -i (x + i y) = y - i x
      const f1r = f32x4.add(f32x4.mul(s1, d1i), f32x4.mul(s2, d2i));
      const f1i = f32x4.neg(f32x4.add(f32x4.mul(s1, d1r), f32x4.mul(s2, d2r)));
      const f2r = f32x4.sub(f32x4.mul(s2, d1i), f32x4.mul(s1, d2i));
      const f2i = f32x4.sub(f32x4.mul(s1, d2r), f32x4.mul(s2, d1r));
      v128.store(yr + o, f32x4.add(a0r, f32x4.add(t1r, t2r)));
      v128.store(yi + o, f32x4.add(a0i, f32x4.add(t1i, t2i)));
      let br = f32x4.add(e1r, f1r), bi = f32x4.add(e1i, f1i);
      storeTwiddled(yr, yi, o + os, br, bi, w1r, w1i);
      br = f32x4.add(e2r, f2r);
      bi = f32x4.add(e2i, f2i);
      storeTwiddled(yr, yi, o + 2 * os, br, bi, w2r, w2i);
      br = f32x4.sub(e2r, f2r);
      bi = f32x4.sub(e2i, f2i);
      storeTwiddled(yr, yi, o + 3 * os, br, bi, w3r, w3i);
      br = f32x4.sub(e1r, f1r);
      bi = f32x4.sub(e1i, f1i);
      storeTwiddled(yr, yi, o + 4 * os, br, bi, w4r, w4i);
    }
  }
}

/**
 * Windows frames f0..f0+3 (frame f starts at sample f * hop of `signal`) and packs them, one per
 * lane, as the complex points z[j] = x[2j] + i x[2j+1]: 4x4 transposes of 4 samples of 4 frames.
 */
function pack(plan: usize, signal: usize, f0: i32, ar: usize, ai: usize): void {
  const nFft = load<i32>(plan);
  const hop = load<i32>(plan, 8);
  const window = <usize>load<i32>(plan, 20);
  const stride = <usize>hop << 2;
  const s0 = signal + (<usize>(f0 * hop) << 2);
  for (let t = 0; t < nFft; t += 4) {
    const at = <usize>t << 2;
    const w = v128.load(window + at);
    const v0 = f32x4.mul(v128.load(s0 + at), w);
    const v1 = f32x4.mul(v128.load(s0 + stride + at), w);
    const v2 = f32x4.mul(v128.load(s0 + 2 * stride + at), w);
    const v3 = f32x4.mul(v128.load(s0 + 3 * stride + at), w);
    const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
    const t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
    const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
    const j = <usize>(t >> 1) << 4; // complex points t / 2 and t / 2 + 1
    v128.store(ar + j, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
    v128.store(ai + j, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
    v128.store(ar + j + 16, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
    v128.store(ai + j + 16, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
  }
}

/** Runs the Stockham stages; returns 0 when the result is in buffer A, 1 when in buffer B. */
function complexFft(plan: usize): i32 {
  const points = load<i32>(plan, 4);
  const stages = load<i32>(plan, 12);
  let xr = <usize>load<i32>(plan, 40);
  let yr = <usize>load<i32>(plan, 44);
  const half = <usize>points << 4;
  for (let i = 0; i < stages; i++) {
    const st = plan + 80 + (<usize>i << 4);
    const radix = load<i32>(st);
    const m = load<i32>(st, 4);
    const s = load<i32>(st, 8);
    const tw = <usize>load<i32>(st, 12);
    if (radix == 4) radix4(m, s, tw, xr, xr + half, yr, yr + half);
    else if (radix == 2) radix2(m, s, tw, xr, xr + half, yr, yr + half);
    else if (radix == 3) radix3(m, s, tw, xr, xr + half, yr, yr + half);
    else radix5(m, s, tw, xr, xr + half, yr, yr + half);
    const swap = xr;
    xr = yr;
    yr = swap;
  }
  return stages & 1;
}

@inline function finishPower(re: v128, im: v128, exponent: i32, scale: v128): v128 {
  const p = f32x4.add(f32x4.mul(re, re), f32x4.mul(im, im));
  return f32x4.mul(exponent == 2 ? p : f32x4.sqrt(p), scale);
}

/**
 * The one-sided power (exponent 2) or magnitude (exponent 1) spectrum of the 4 packed frames from
 * their half-size complex DFT Z: X[k] = E[k] + e^{-2 pi i k / n} O[k], E = (Z[k] + conj Z[h-k]) / 2,
 * O = (Z[k] - conj Z[h-k]) / 2i; bins k and h - k share their loads.
 */
function power(plan: usize, zr: usize, zi: usize): void {
  const h = load<i32>(plan, 4);
  const split = <usize>load<i32>(plan, 16);
  const splitIm = split + (<usize>(h + 1) << 2);
  const out = <usize>load<i32>(plan, 48);
  const exponent = load<i32>(plan, 52);
  const scaleValue = load<f32>(plan, 56);
  const scale = f32x4.splat(scaleValue);
  // Computed with 2E and 2O: |X|^2 carries a factor 4 (2 for the magnitude).
  const inner = f32x4.splat(exponent == 2 ? scaleValue * 0.25 : scaleValue * 0.5);
  const a0 = v128.load(zr), b0 = v128.load(zi);
  v128.store(out, finishPower(f32x4.add(a0, b0), f32x4.splat(0), exponent, scale));
  v128.store(out + (<usize>h << 4), finishPower(f32x4.sub(a0, b0), f32x4.splat(0), exponent, scale));
  for (let k = 1, j = h - 1; k <= j; k++, j--) {
    const kk = <usize>k << 4, jj = <usize>j << 4;
    const zkr = v128.load(zr + kk), zki = v128.load(zi + kk);
    const cr = v128.load(zr + jj), cim = v128.load(zi + jj);
    const er = f32x4.add(zkr, cr), ei = f32x4.sub(zki, cim); // 2 E[k]
    const or = f32x4.add(zki, cim), oi = f32x4.sub(cr, zkr); // 2 O[k]
    const wr = v128.load32_splat(split + (<usize>k << 2)), wi = v128.load32_splat(splitIm + (<usize>k << 2));
    const xr = f32x4.add(er, cmulRe(or, oi, wr, wi));
    const xi = f32x4.add(ei, cmulIm(or, oi, wr, wi));
    v128.store(out + kk, finishPower(xr, xi, exponent, inner));
    if (j != k) {
      // 2 X[j] = conj(2E[k]) + w_j conj(2O[k])
      const vr = v128.load32_splat(split + (<usize>j << 2)), vi = v128.load32_splat(splitIm + (<usize>j << 2));
      const yr = f32x4.add(er, f32x4.add(f32x4.mul(or, vr), f32x4.mul(oi, vi)));
      const yi = f32x4.sub(f32x4.sub(f32x4.mul(or, vi), f32x4.mul(oi, vr)), ei);
      v128.store(out + jj, finishPower(yr, yi, exponent, inner));
    }
  }
}

/** multiplier / ln 10 * ln(max(x, amin)) - offset per lane (x >= 0 finite; NaN becomes amin). */
@inline function decibels(x: v128, mul: v128, amin: v128, offset: v128): v128 {
  const v = f32x4.pmax(x, amin); // amin < x ? x : amin
  const bits = v;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127));
  let m = v128.or(v128.and(bits, i32x4.splat(0x7fffff)), i32x4.splat(0x3f800000)); // [1, 2)
  const big = f32x4.gt(m, f32x4.splat(SQRT2));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big); // [sqrt(1/2), sqrt(2))
  e = i32x4.sub(e, big); // + 1 where halved
  const one = f32x4.splat(1);
  const s = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one)); // |s| <= 0.1716
  const s2 = f32x4.mul(s, s);
  // ln m = 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + s^6/7 + s^8/9), error < 1e-9
  let poly = f32x4.add(f32x4.splat(1.0 / 7.0), f32x4.mul(s2, f32x4.splat(1.0 / 9.0)));
  poly = f32x4.add(f32x4.splat(1.0 / 5.0), f32x4.mul(s2, poly));
  poly = f32x4.add(f32x4.splat(1.0 / 3.0), f32x4.mul(s2, poly));
  poly = f32x4.add(one, f32x4.mul(s2, poly));
  const lnm = f32x4.mul(f32x4.add(s, s), poly);
  const ef = f32x4.convert_i32x4_s(e);
  const ln = f32x4.add(f32x4.add(f32x4.mul(ef, f32x4.splat(LN2_LO)), lnm), f32x4.mul(ef, f32x4.splat(LN2_HI)));
  return f32x4.sub(f32x4.mul(ln, mul), offset);
}

/**
 * Mel bands (or their dB values) of `frames` frames of the padded signal at `signal`, written
 * row-major to `out` ([frames, nMels] f32). The signal must hold 3 hops of readable samples past
 * the last frame (the lanes of the last group). Returns the largest value written (for top_db).
 */
export function melFrames(plan: usize, signal: usize, frames: i32, out: usize): f32 {
  const points = load<i32>(plan, 4);
  const nMels = load<i32>(plan, 24);
  const first = <usize>load<i32>(plan, 28);
  const offsets = <usize>load<i32>(plan, 32);
  const weights = <usize>load<i32>(plan, 36);
  const bufA = <usize>load<i32>(plan, 40);
  const bufB = <usize>load<i32>(plan, 44);
  const pw = <usize>load<i32>(plan, 48);
  const db = load<i32>(plan, 60);
  const mul = f32x4.splat(load<f32>(plan, 64));
  const amin = f32x4.splat(load<f32>(plan, 68));
  const offset = f32x4.splat(load<f32>(plan, 72));
  const half = <usize>points << 4;
  const rowBytes = <usize>nMels << 2;
  let peak = f32x4.splat(-Infinity);
  for (let f0 = 0; f0 < frames; f0 += 4) {
    pack(plan, signal, f0, bufA, bufA + half);
    const z = complexFft(plan) == 0 ? bufA : bufB;
    power(plan, z, z + half);
    const valid = min(4, frames - f0);
    const row = out + <usize>f0 * rowBytes;
    for (let b = 0; b < nMels; b++) {
      const start = load<i32>(offsets + (<usize>b << 2));
      const end = load<i32>(offsets + (<usize>(b + 1) << 2));
      let bin = pw + (<usize>load<i32>(first + (<usize>b << 2)) << 4);
      let acc = f32x4.splat(0);
      for (let i = start; i < end; i++, bin += 16) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(weights + (<usize>i << 2)), v128.load(bin)));
      }
      if (db) acc = decibels(acc, mul, amin, offset);
      peak = f32x4.max(peak, acc);
      const at = row + (<usize>b << 2);
      store<f32>(at, f32x4.extract_lane(acc, 0));
      if (valid > 1) store<f32>(at + rowBytes, f32x4.extract_lane(acc, 1));
      if (valid > 2) store<f32>(at + 2 * rowBytes, f32x4.extract_lane(acc, 2));
      if (valid > 3) store<f32>(at + 3 * rowBytes, f32x4.extract_lane(acc, 3));
    }
  }
  return max<f32>(max<f32>(f32x4.extract_lane(peak, 0), f32x4.extract_lane(peak, 1)), max<f32>(f32x4.extract_lane(peak, 2), f32x4.extract_lane(peak, 3)));
}

/** Raises every one of the `n` f32 values at `data` below `floor` to it (top_db). */
export function clampBelow(data: usize, n: i32, floor: f32): void {
  const lo = f32x4.splat(floor);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = data + (<usize>i << 2);
    v128.store(at, f32x4.max(v128.load(at), lo));
  }
  for (; i < n; i++) {
    const at = data + (<usize>i << 2);
    store<f32>(at, max<f32>(load<f32>(at), floor));
  }
}
