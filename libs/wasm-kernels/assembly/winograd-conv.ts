// A forward convolution with filters 3 wide at width stride 1 by Winograd F(4,3) along the width, in
// WebAssembly SIMD: every run of 4 outputs of a row is a tile that reads 6 input columns. Per tile and
// input channel the 6 columns become V = B^T d (6 values xi), the filter becomes U[xi] = G g per filter
// row and channel pair, and the outputs are y = A^T M with M[xi] = sum over (fy, ci) of V[xi] * U[xi]:
// 6 products per 4 outputs instead of 12, so the GEMMs (the time) halve. The filter rows fy (and input
// channels) are the GEMM depth, read at offsets as in assembly/conv2d.ts (any height stride / dilation).
// Works a chunk of images at a time (V and M stay in L2): transform the chunk's input rows (the
// padding applied there: no padded copy of the input), 6 GEMMs
// (4 tiles x 8 channels register blocks, shared/conv-tile.ts), then the output transform with an
// optional bias and relu. Pointers are byte offsets into the imported memory, sizes in floats.
import { tile1, tile4 } from './shared/conv-tile';
import { depthOffsets, gAt, inputTransform, tilesOf } from './shared/winograd';
export { winogradScratchFloats } from './shared/winograd';

/**
 * out [batch, oh, ow, cOut] = conv(x, w) (+ bias, relu): x [batch, h, wIn, cIn] is read in place, seen
 * padded by `top` rows and `left` columns (zeros around it; `hp` rows read per image), w is
 * [fh, 3, cIn, cOut] (`flip` != 0: w is [fh, 3, cOut, cIn], read rotated by 180 degrees with its channel
 * axes swapped: the transposed convolution of an input gradient); output row oy reads padded rows
 * oy * sh + fy * dh and columns ox .. ox + 2. `bias` is 0 or cOut floats; `relu` != 0 clamps at zero. `scratch` holds
 * winogradScratchFloats(chunk, ...) floats (shared/winograd.ts).
 */
export function winogradConv(
  x: usize, w: usize, bias: usize, out: usize, scratch: usize,
  batch: i32, h: i32, wIn: i32, top: i32, left: i32, hp: i32, cIn: i32, oh: i32, ow: i32, cOut: i32,
  fh: i32, sh: i32, dh: i32, chunk: i32, relu: i32, flip: i32,
): void {
  const k = fh * cIn;
  const panels = (cOut + 7) >> 3;
  const cp = panels << 3;
  const t = tilesOf(ow);
  const offs = scratch;
  const u = offs + (<usize>((k + 3) & ~3) << 2);
  const v = u + (<usize>(6 * k * cp) << 2);
  const xsV = <usize>(chunk * hp * t * cIn) << 2; // V [xi][image][row][tile][ci]: its xi stride, bytes
  const m = v + 6 * xsV;
  depthOffsets(offs, fh, dh, t, cIn);
  // U [xi][panel][k = (fy, ci)][8] = sum over fx of G[xi][fx] w[fy, fx, ci, co]
  const fxStride = <usize>(cIn * cOut) << 2;
  let up = u;
  for (let xi = 0; xi < 6; xi++) {
    const g0 = gAt(xi, 0), g1 = gAt(xi, 1), g2 = gAt(xi, 2);
    for (let q = 0; q < panels; q++) {
      for (let fy = 0; fy < fh; fy++) {
        for (let ci = 0; ci < cIn; ci++) {
          for (let j = 0; j < 8; j++) {
            const co = (q << 3) + j;
            let s: f32 = 0;
            if (co < cOut) {
              if (flip != 0) {
                // w[fh - 1 - fy, 2 - fx, co, ci]: fx = 0, 1, 2 read taps 2, 1, 0 of that row
                const at = w + (<usize>((((fh - 1 - fy) * 3 + 2) * cOut + co) * cIn + ci) << 2);
                s = g0 * load<f32>(at) + g1 * load<f32>(at - fxStride) + g2 * load<f32>(at - 2 * fxStride);
              } else {
                const at = w + (<usize>((fy * 3 * cIn + ci) * cOut + co) << 2);
                s = g0 * load<f32>(at) + g1 * load<f32>(at + fxStride) + g2 * load<f32>(at + 2 * fxStride);
              }
            }
            store<f32>(up, s);
            up += 4;
          }
        }
      }
    }
  }
  const cs = <usize>cIn << 2; // V's tile stride, bytes
  const or = <usize>cp << 2;
  // Positions (image, oy, tile) run in runs of evenly spaced tiles: a whole image at height stride 1
  // (its output rows are consecutive rows of V), else one output row.
  const runs = sh == 1 ? 1 : oh;
  const runLen = sh == 1 ? oh * t : t;
  const runStep = <usize>(sh * t) * cs;
  const imageStep = <usize>(hp * t) * cs;
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const nb = min(chunk, batch - b0);
    inputTransform(x + (<usize>(b0 * h * wIn) * cs), v, xsV, nb, h, wIn, cIn, hp, top, left, t);
    // M [xi][position = (image, oy, tile)][cp] = V[xi] x U[xi], 4 positions x 8 channels a block
    const positions = nb * oh * t;
    for (let xi = 0; xi < 6; xi++) {
      const vx = v + <usize>xi * xsV;
      const mx = m + <usize>(xi * positions) * or;
      for (let q = 0; q < panels; q++) {
        const panel = u + (<usize>((xi * panels + q) * k) << 5);
        let mq = mx + (<usize>q << 5);
        for (let img = 0; img < nb; img++) {
          for (let run = 0; run < runs; run++) {
            const base = vx + <usize>img * imageStep + <usize>run * runStep;
            let p = 0;
            for (; p + 4 <= runLen; p += 4) {
              const a0 = base + <usize>p * cs;
              tile4(a0, a0 + cs, a0 + 2 * cs, a0 + 3 * cs, offs, panel, k, mq, or);
              mq += 4 * or;
            }
            for (; p < runLen; p++) {
              tile1(base + <usize>p * cs, offs, panel, k, mq);
              mq += or;
            }
          }
        }
      }
    }
    // out = A^T M (+ bias, relu)
    const xsM = <usize>positions * or;
    const co4 = cOut & ~3;
    const zero = f32x4.splat(0);
    for (let p = 0; p < positions; p++) {
      const row = p / t; // once per position (a few hundred floats of work each)
      const tt = p - row * t;
      const ox = tt << 2;
      const n = min(4, ow - ox);
      const o = out + (<usize>(((b0 * oh + row) * ow + ox) * cOut) << 2);
      const ms = m + <usize>p * or;
      const oc = <usize>cOut << 2;
      for (let co = 0; co < cOut; co += 4) {
        const at = ms + (<usize>co << 2);
        const m0 = v128.load(at), m1 = v128.load(at + xsM), m2 = v128.load(at + 2 * xsM);
        const m3 = v128.load(at + 3 * xsM), m4 = v128.load(at + 4 * xsM), m5 = v128.load(at + 5 * xsM);
        const sp = f32x4.add(m1, m2), sm = f32x4.sub(m1, m2);
        const tp = f32x4.add(m3, m4), tm = f32x4.sub(m3, m4);
        let y0 = f32x4.add(f32x4.add(m0, sp), tp);
        let y1 = f32x4.add(sm, f32x4.mul(tm, f32x4.splat(2)));
        let y2 = f32x4.add(sp, f32x4.mul(tp, f32x4.splat(4)));
        let y3 = f32x4.add(f32x4.add(sm, f32x4.mul(tm, f32x4.splat(8))), m5);
        if (bias != 0) {
          const bv = co < co4 ? v128.load(bias + (<usize>co << 2)) : partialBias(bias, co, cOut);
          y0 = f32x4.add(y0, bv); y1 = f32x4.add(y1, bv); y2 = f32x4.add(y2, bv); y3 = f32x4.add(y3, bv);
        }
        if (relu != 0) {
          y0 = f32x4.max(y0, zero); y1 = f32x4.max(y1, zero); y2 = f32x4.max(y2, zero); y3 = f32x4.max(y3, zero);
        }
        const dst = o + (<usize>co << 2);
        if (co < co4) {
          v128.store(dst, y0);
          if (n > 1) v128.store(dst + oc, y1);
          if (n > 2) v128.store(dst + 2 * oc, y2);
          if (n > 3) v128.store(dst + 3 * oc, y3);
        } else {
          storePartial(dst, y0, cOut - co);
          if (n > 1) storePartial(dst + oc, y1, cOut - co);
          if (n > 2) storePartial(dst + 2 * oc, y2, cOut - co);
          if (n > 3) storePartial(dst + 3 * oc, y3, cOut - co);
        }
      }
    }
  }
}

/** The first `n` (1..3) bias values from `co` on, zeros after. */
// @ts-ignore: decorator
@inline function partialBias(bias: usize, co: i32, cOut: i32): v128 {
  let bv = f32x4.splat(0);
  const at = bias + (<usize>co << 2);
  const n = cOut - co;
  bv = f32x4.replace_lane(bv, 0, load<f32>(at));
  if (n > 1) bv = f32x4.replace_lane(bv, 1, load<f32>(at, 4));
  if (n > 2) bv = f32x4.replace_lane(bv, 2, load<f32>(at, 8));
  return bv;
}

/** Stores the first `n` (1..3) lanes of `y` at `dst`. */
// @ts-ignore: decorator
@inline function storePartial(dst: usize, y: v128, n: i32): void {
  store<f32>(dst, f32x4.extract_lane(y, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(y, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(y, 2), 8);
}
