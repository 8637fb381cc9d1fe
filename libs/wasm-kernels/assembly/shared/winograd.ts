// Winograd F(4,3) along the width, shared by the forward convolution (../winograd-conv.ts) and its filter
// gradient (../winograd-backprop-filter.ts): the matrices (B^T in the input transform, G in `gAt`), the
// input transform of a chunk of rows, and the scratch layout. Interpolation points 0, 1, -1, 2, -2, inf.
// In a subfolder so that tools/build-wasm.mjs does not build it as a module of its own.

/** G[xi][fx] of F(4,3) (interpolation points 0, 1, -1, 2, -2, infinity). */
// @ts-ignore: decorator
@inline export function gAt(xi: i32, fx: i32): f32 {
  if (xi == 0) return fx == 0 ? 0.25 : 0;
  if (xi == 5) return fx == 2 ? 1 : 0;
  if (xi < 3) return fx == 1 && xi == 2 ? <f32>(1.0 / 6.0) : <f32>(-1.0 / 6.0);
  if (fx == 0) return <f32>(1.0 / 24.0);
  if (fx == 2) return <f32>(1.0 / 6.0);
  return xi == 3 ? <f32>(1.0 / 12.0) : <f32>(-1.0 / 12.0);
}

/** Tiles of 4 outputs per row. */
// @ts-ignore: decorator
@inline export function tilesOf(ow: i32): i32 {
  return (ow + 3) >> 2;
}

/**
 * Floats of scratch a Winograd kernel needs for `chunk` images per pass: k offsets (padded to 4), the
 * filter in Winograd form U / its gradient dU (6 k cp), the transformed input V and the products M / the
 * transformed output gradient D.
 */
export function winogradScratchFloats(chunk: i32, hp: i32, oh: i32, ow: i32, cIn: i32, cOut: i32, fh: i32): i32 {
  const k = fh * cIn;
  const cp = (cOut + 7) & ~7;
  const t = tilesOf(ow);
  return ((k + 3) & ~3) + 6 * k * cp + chunk * hp * 6 * t * cIn + 6 * chunk * oh * t * cp;
}

/**
 * V[xi] = B^T d for 4 channels (or one, when `wide` is false) of 6 columns d at `src` (column stride
 * `cs` bytes; only columns lo <= i < hi are read, the others are zero padding), stored at `dst` (xi
 * stride `xs` bytes).
 */
// @ts-ignore: decorator
@inline function inputTile(src: usize, cs: usize, lo: i32, hi: i32, dst: usize, xs: usize, wide: bool): void {
  const z = f32x4.splat(0);
  let d0 = z, d1 = z, d2 = z, d3 = z, d4 = z, d5 = z;
  if (wide) {
    if (lo <= 0 && hi > 0) d0 = v128.load(src);
    if (lo <= 1 && hi > 1) d1 = v128.load(src + cs);
    if (lo <= 2 && hi > 2) d2 = v128.load(src + 2 * cs);
    if (lo <= 3 && hi > 3) d3 = v128.load(src + 3 * cs);
    if (lo <= 4 && hi > 4) d4 = v128.load(src + 4 * cs);
    if (lo <= 5 && hi > 5) d5 = v128.load(src + 5 * cs);
  } else {
    if (lo <= 0 && hi > 0) d0 = f32x4.splat(load<f32>(src));
    if (lo <= 1 && hi > 1) d1 = f32x4.splat(load<f32>(src + cs));
    if (lo <= 2 && hi > 2) d2 = f32x4.splat(load<f32>(src + 2 * cs));
    if (lo <= 3 && hi > 3) d3 = f32x4.splat(load<f32>(src + 3 * cs));
    if (lo <= 4 && hi > 4) d4 = f32x4.splat(load<f32>(src + 4 * cs));
    if (lo <= 5 && hi > 5) d5 = f32x4.splat(load<f32>(src + 5 * cs));
  }
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  // V0 = 4 d0 - 5 d2 + d4;  V5 = 4 d1 - 5 d3 + d5
  const v0 = f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4);
  const v5 = f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5);
  // V1, V2 = -/+ 4 (d1 -/+ ...): a = d4 - 4 d2, b = d3 - 4 d1 -> V1 = a + b, V2 = a - b
  const a = f32x4.sub(d4, f32x4.mul(four, d2));
  const b = f32x4.sub(d3, f32x4.mul(four, d1));
  // V3, V4: c = d4 - d2, e = 2 (d3 - d1) -> V3 = c + e, V4 = c - e
  const c = f32x4.sub(d4, d2);
  const e = f32x4.mul(two, f32x4.sub(d3, d1));
  if (wide) {
    v128.store(dst, v0);
    v128.store(dst + xs, f32x4.add(a, b));
    v128.store(dst + 2 * xs, f32x4.sub(a, b));
    v128.store(dst + 3 * xs, f32x4.add(c, e));
    v128.store(dst + 4 * xs, f32x4.sub(c, e));
    v128.store(dst + 5 * xs, v5);
  } else {
    store<f32>(dst, f32x4.extract_lane(v0, 0));
    store<f32>(dst + xs, f32x4.extract_lane(f32x4.add(a, b), 0));
    store<f32>(dst + 2 * xs, f32x4.extract_lane(f32x4.sub(a, b), 0));
    store<f32>(dst + 3 * xs, f32x4.extract_lane(f32x4.add(c, e), 0));
    store<f32>(dst + 4 * xs, f32x4.extract_lane(f32x4.sub(c, e), 0));
    store<f32>(dst + 5 * xs, f32x4.extract_lane(v5, 0));
  }
}

/**
 * V [xi][image][row][tile][ci] (xi stride `xs` bytes) = B^T d for every tile (4 outputs, 6 input columns
 * d from 4 tile on) of the `hp` rows of the zero-padded view of each of `images` images of `src`
 * ([images, h, w, cIn], padded by `top` rows and `left` columns; rows and columns outside it read as
 * zero, so no padded copy is made). `t` tiles per row.
 */
export function inputTransform(
  src: usize, v: usize, xs: usize, images: i32, h: i32, w: i32, cIn: i32, hp: i32, top: i32, left: i32, t: i32,
): void {
  const cs = <usize>cIn << 2;
  const rowV = <usize>(t * cIn) << 2;
  const c4 = cIn & ~3;
  for (let img = 0; img < images; img++) {
    for (let y = 0; y < hp; y++) {
      const to = v + <usize>(img * hp + y) * rowV;
      const iy = y - top;
      if (iy < 0 || iy >= h) {
        for (let xi = 0; xi < 6; xi++) memory.fill(to + <usize>xi * xs, 0, rowV);
        continue;
      }
      const from = src + <usize>((img * h + iy) * w) * cs;
      for (let tt = 0; tt < t; tt++) {
        const c0 = (tt << 2) - left; // the input column of the tile's first column
        const lo = max(0, -c0);
        const hi = min(6, w - c0);
        const s = from + <usize>c0 * cs; // may point before the row: only columns lo .. hi are read
        const d = to + <usize>tt * cs;
        let ci = 0;
        if (lo == 0 && hi == 6) {
          for (; ci < c4; ci += 4) inputTile(s + (<usize>ci << 2), cs, 0, 6, d + (<usize>ci << 2), xs, true);
          for (; ci < cIn; ci++) inputTile(s + (<usize>ci << 2), cs, 0, 6, d + (<usize>ci << 2), xs, false);
        } else {
          for (; ci < c4; ci += 4) inputTile(s + (<usize>ci << 2), cs, lo, hi, d + (<usize>ci << 2), xs, true);
          for (; ci < cIn; ci++) inputTile(s + (<usize>ci << 2), cs, lo, hi, d + (<usize>ci << 2), xs, false);
        }
      }
    }
  }
}

/**
 * Writes the GEMM depth offsets (floats) into `offs`: row k = (fy, ci) reads V at fy * dh rows of `t`
 * tiles on, channel ci.
 */
export function depthOffsets(offs: usize, fh: i32, dh: i32, t: i32, cIn: i32): void {
  for (let fy = 0; fy < fh; fy++) {
    for (let ci = 0; ci < cIn; ci++) store<i32>(offs + (<usize>(fy * cIn + ci) << 2), fy * dh * t * cIn + ci);
  }
}
