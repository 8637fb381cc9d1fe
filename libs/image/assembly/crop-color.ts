// Fused crop-and-colour kernel (AssemblyScript, WebAssembly SIMD), built by tools/build-wasm.mjs into
// libs/image/src/generated/crop-color-wasm.ts and driven by src/transforms/fused-crop-color.ts.
//
// Four output pixels at a time: each is sampled bilinearly from the RGB source as one f32x4
// [r, g, b, _] (two taps per axis, the tables give byte offsets and weights, flip included), the
// four are transposed to planar R, G, B vectors, every colour step (brightness, contrast,
// saturation, HSV hue rotation) runs on those in registers, and the normalized pixels are
// transposed back and stored HWC. A contrast step needs the mean luma of the image before it, so
// the caller splits the steps at each contrast: `firstPass` samples and runs the steps before the
// first contrast, storing planar groups in `temp` and returning the luma sum; `restPass` runs the
// next segment over `temp`. The module owns no memory and no static data: the caller writes the
// tables and parameters into its memory; arguments are byte offsets.
//
// Parameters (i32 / f32 fields at params + 4 * index; see P_* in fused-crop-color.ts):
//   0 src (f32 HWC, 3 channels, 16 bytes of padding after)   1 out width W   2 out height H
//   3 colAt0 (i32[W4]: byte offset of the left tap in a row)   4 colAt1   5 colW0 (f32[W4])   6 colW1
//   7 rowAt0 (i32[H]: byte offset of the upper tap's row)   8 rowAt1   9 rowW0 (f32[H])   10 rowW1
//   11 out (f32 HWC, 64 bytes of padding after)   12 temp (f32 groups [R4, G4, B4] per 4 pixels)
//   13 step count   14-17 step codes (0 brightness, 1 contrast, 2 saturation, 3 hue + 256 x whole sixths of its shift)
//   18-21 f32 step amounts (hue: the fraction of a sixth of its shift, in [0, 1))   22-24 f32 mean   25-27 f32 std   28 normalize (0/1)
// W4 is W rounded up to a multiple of 4; table entries past W point at offset 0 with weight 0.

// @ts-nocheck: AssemblyScript, not TypeScript (the repo's tsconfigs do not include assembly/).

const WR: f32 = 0.299;
const WG: f32 = 0.587;
const WB: f32 = 0.114;

// The planar pixels being worked on (wasm globals, not memory).
let R: v128 = f32x4.splat(0);
let G: v128 = f32x4.splat(0);
let B: v128 = f32x4.splat(0);

@inline function param(params: usize, index: i32): i32 {
  return load<i32>(params + (<usize>index << 2));
}

@inline function paramF(params: usize, index: i32): f32 {
  return load<f32>(params + (<usize>index << 2));
}

@inline function clamp01(x: v128): v128 {
  return f32x4.min(f32x4.splat(1), f32x4.max(f32x4.splat(0), x));
}

@inline function luma(r: v128, g: v128, b: v128): v128 {
  return f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(WR), r), f32x4.mul(f32x4.splat(WG), g)), f32x4.mul(f32x4.splat(WB), b));
}

/**
 * Rotates the hue of R, G, B in HSV (adjustHue's hexcone, branch-free) by `sectors + fraction`
 * sixths of a turn (`sectors` an integer in [0, 5], `fraction` in [0, 1)); gray lanes stay. The
 * position inside a sector is summed from two small fractions, so float32 keeps it to ~1e-7.
 */
@inline function hue(sectors: f32, fraction: f32): void {
  const r = R, g = G, b = B;
  const v = f32x4.max(f32x4.max(r, g), b);
  const d = f32x4.sub(v, f32x4.min(f32x4.min(r, g), b));
  const gray = f32x4.eq(d, f32x4.splat(0));
  const s = f32x4.div(d, v);
  const isR = f32x4.eq(v, r);
  const isG = f32x4.eq(v, g);
  // hue in sixths = base + within, within in [-1, 1]
  const within = f32x4.div(v128.bitselect(f32x4.sub(g, b), v128.bitselect(f32x4.sub(b, r), f32x4.sub(r, g), isG), isR), d);
  const base = v128.bitselect(f32x4.splat(0), v128.bitselect(f32x4.splat(2), f32x4.splat(4), isG), isR);
  const sum = f32x4.add(within, f32x4.splat(fraction));
  const whole = f32x4.floor(sum);
  const f = f32x4.sub(sum, whole);
  let index = f32x4.add(f32x4.add(base, whole), f32x4.splat(sectors)); // an integer in [-1, 11]
  index = f32x4.sub(index, f32x4.mul(f32x4.splat(6), f32x4.floor(f32x4.div(index, f32x4.splat(6)))));
  const one = f32x4.splat(1);
  const p = f32x4.mul(v, f32x4.sub(one, s));
  const q = f32x4.mul(v, f32x4.sub(one, f32x4.mul(s, f)));
  const t = f32x4.mul(v, f32x4.sub(one, f32x4.mul(s, f32x4.sub(one, f))));
  const m0 = f32x4.eq(index, f32x4.splat(0));
  const m1 = f32x4.eq(index, f32x4.splat(1));
  const m2 = f32x4.eq(index, f32x4.splat(2));
  const m3 = f32x4.eq(index, f32x4.splat(3));
  const m4 = f32x4.eq(index, f32x4.splat(4));
  // Sector k: (r, g, b) = 0 (v, t, p), 1 (q, v, p), 2 (p, v, t), 3 (p, q, v), 4 (t, p, v), 5 (v, p, q).
  const nr = v128.bitselect(v, v128.bitselect(q, v128.bitselect(p, v128.bitselect(p, v128.bitselect(t, v, m4), m3), m2), m1), m0);
  const ng = v128.bitselect(t, v128.bitselect(v, v128.bitselect(v, v128.bitselect(q, p, m3), m2), m1), m0);
  const nb = v128.bitselect(p, v128.bitselect(p, v128.bitselect(t, v128.bitselect(v, v128.bitselect(v, q, m4), m3), m2), m1), m0);
  R = v128.bitselect(r, nr, gray);
  G = v128.bitselect(g, ng, gray);
  B = v128.bitselect(b, nb, gray);
}

/** Runs steps [from, to) on R, G, B; `offset` is the contrast offset (1 - c) * mean luma. */
@inline function steps(params: usize, from: i32, to: i32, offset: f32): void {
  for (let k = from; k < to; k++) {
    const code = param(params, 14 + k) & 255;
    const a = paramF(params, 18 + k);
    const f = f32x4.splat(a);
    if (code == 0) {
      R = clamp01(f32x4.mul(R, f));
      G = clamp01(f32x4.mul(G, f));
      B = clamp01(f32x4.mul(B, f));
    } else if (code == 1) {
      const o = f32x4.splat(offset);
      R = clamp01(f32x4.add(f32x4.mul(f, R), o));
      G = clamp01(f32x4.add(f32x4.mul(f, G), o));
      B = clamp01(f32x4.add(f32x4.mul(f, B), o));
    } else if (code == 2) {
      const gray = f32x4.mul(f32x4.splat(<f32>1 - a), luma(R, G, B));
      R = clamp01(f32x4.add(f32x4.mul(f, R), gray));
      G = clamp01(f32x4.add(f32x4.mul(f, G), gray));
      B = clamp01(f32x4.add(f32x4.mul(f, B), gray));
    } else {
      hue(<f32>(param(params, 14 + k) >> 8), a);
    }
  }
}

/** Normalizes R, G, B and stores the four pixels HWC at `at` (overlapping 16-byte stores, in order). */
@inline function storePixels(params: usize, at: usize): void {
  let r = R, g = G, b = B;
  if (param(params, 28) != 0) {
    r = f32x4.div(f32x4.sub(r, f32x4.splat(paramF(params, 22))), f32x4.splat(paramF(params, 25)));
    g = f32x4.div(f32x4.sub(g, f32x4.splat(paramF(params, 23))), f32x4.splat(paramF(params, 26)));
    b = f32x4.div(f32x4.sub(b, f32x4.splat(paramF(params, 24))), f32x4.splat(paramF(params, 27)));
  }
  const u0 = f32x4.shuffle(r, g, 0, 4, 1, 5); // r0 g0 r1 g1
  const u1 = f32x4.shuffle(r, g, 2, 6, 3, 7); // r2 g2 r3 g3
  v128.store(at, f32x4.shuffle(u0, b, 0, 1, 4, 4));
  v128.store(at + 12, f32x4.shuffle(u0, b, 2, 3, 5, 5));
  v128.store(at + 24, f32x4.shuffle(u1, b, 0, 1, 6, 6));
  v128.store(at + 36, f32x4.shuffle(u1, b, 2, 3, 7, 7));
}

/** Lane k of (0, 1, 2, 3) + x < width, without a constant vector (no static data). */
@inline function laneInside(x: i32, width: i32): v128 {
  const lanes = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(x), 1, x + 1), 2, x + 2), 3, x + 3);
  return i32x4.lt_s(lanes, i32x4.splat(width));
}

/** One sampled pixel [r, g, b, _] at output column x of the row with taps (top, bottom, v0, v1). */
@inline function sample(params: usize, src: usize, x: i32, top: usize, bottom: usize, v0: v128, v1: v128): v128 {
  const i = <usize>x << 2;
  const a = <usize>load<i32>(<usize>param(params, 3) + i);
  const b = <usize>load<i32>(<usize>param(params, 4) + i);
  const u0 = v128.load32_splat(<usize>param(params, 5) + i);
  const u1 = v128.load32_splat(<usize>param(params, 6) + i);
  const upper = f32x4.add(f32x4.mul(u0, v128.load(src + top + a)), f32x4.mul(u1, v128.load(src + top + b)));
  const lower = f32x4.add(f32x4.mul(u0, v128.load(src + bottom + a)), f32x4.mul(u1, v128.load(src + bottom + b)));
  return f32x4.add(f32x4.mul(v0, upper), f32x4.mul(v1, lower));
}

/**
 * Stores the group of pixels x .. x + 3 of row y: normalized to `out` when `last` (returns zeros),
 * else planar to `temp`, returning the luma of its lanes inside the row (for the next contrast).
 */
@inline function finishGroup(params: usize, last: i32, out: usize, temp: usize, x: i32, y: i32, width: i32): v128 {
  if (last) {
    storePixels(params, out + (<usize>(y * width + x) * 12));
    return f32x4.splat(0);
  }
  v128.store(temp, R);
  v128.store(temp + 16, G);
  v128.store(temp + 32, B);
  return v128.and(luma(R, G, B), laneInside(x, width));
}

/** The sum of the four lanes, in f64. */
@inline function laneSum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * Samples every output pixel and runs steps [0, to). When `last`, normalizes and stores to `out`
 * (returns 0); else stores planar groups to `temp` and returns the sum of their luma.
 */
export function firstPass(params: usize, to: i32, last: i32): f64 {
  const src = <usize>param(params, 0);
  const width = param(params, 1);
  const height = param(params, 2);
  const out = <usize>param(params, 11);
  let temp = <usize>param(params, 12);
  let sum: f64 = 0;
  for (let y = 0; y < height; y++) {
    const yi = <usize>y << 2;
    const top = <usize>load<i32>(<usize>param(params, 7) + yi);
    const bottom = <usize>load<i32>(<usize>param(params, 8) + yi);
    const v0 = v128.load32_splat(<usize>param(params, 9) + yi);
    const v1 = v128.load32_splat(<usize>param(params, 10) + yi);
    let rowSum = f32x4.splat(0);
    for (let x = 0; x < width; x += 4) {
      const p0 = sample(params, src, x, top, bottom, v0, v1);
      const p1 = sample(params, src, x + 1, top, bottom, v0, v1);
      const p2 = sample(params, src, x + 2, top, bottom, v0, v1);
      const p3 = sample(params, src, x + 3, top, bottom, v0, v1);
      const t0 = f32x4.shuffle(p0, p1, 0, 4, 1, 5); // r0 r1 g0 g1
      const t1 = f32x4.shuffle(p2, p3, 0, 4, 1, 5); // r2 r3 g2 g3
      const t2 = f32x4.shuffle(p0, p1, 2, 6, 2, 6); // b0 b1 b0 b1
      const t3 = f32x4.shuffle(p2, p3, 2, 6, 2, 6); // b2 b3 b2 b3
      R = f32x4.shuffle(t0, t1, 0, 1, 4, 5);
      G = f32x4.shuffle(t0, t1, 2, 3, 6, 7);
      B = f32x4.shuffle(t2, t3, 0, 1, 4, 5);
      steps(params, 0, to, 0);
      rowSum = f32x4.add(rowSum, finishGroup(params, last, out, temp, x, y, width));
      temp += 48;
    }
    sum += laneSum(rowSum);
  }
  return sum;
}

/**
 * Runs steps [from, to) (step `from` a contrast with offset `offset`) over the planar groups in
 * `temp`. When `last`, normalizes and stores to `out` (returns 0); else writes the groups back
 * and returns the sum of their luma.
 */
export function restPass(params: usize, from: i32, to: i32, last: i32, offset: f32): f64 {
  const width = param(params, 1);
  const height = param(params, 2);
  const out = <usize>param(params, 11);
  let temp = <usize>param(params, 12);
  let sum: f64 = 0;
  for (let y = 0; y < height; y++) {
    let rowSum = f32x4.splat(0);
    for (let x = 0; x < width; x += 4) {
      R = v128.load(temp);
      G = v128.load(temp + 16);
      B = v128.load(temp + 32);
      steps(params, from, to, offset);
      rowSum = f32x4.add(rowSum, finishGroup(params, last, out, temp, x, y, width));
      temp += 48;
    }
    sum += laneSum(rowSum);
  }
  return sum;
}
