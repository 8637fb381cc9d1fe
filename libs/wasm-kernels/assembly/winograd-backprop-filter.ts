// The filter gradient of a convolution with filters 3 wide at width stride 1, by Winograd F(4,3) along
// the width (the forward pass: ./winograd-conv.ts). The forward tile is y = A^T [(G g) . (B^T d)], so
// dL/dg = G^T sum over tiles of (B^T d) . (A dy): per xi, dU[xi] [k = (fy, ci), cOut] = sum over the
// tiles of V[xi] (the input transform) times D[xi] = (A dy)[xi] (4 output gradients -> 6), a GEMM that
// reduces over positions with 6 products per 4 outputs instead of 12; then dW[fy, fx] = sum over xi of
// G[xi][fx] dU[xi]. Register blocks: 4 GEMM rows x 8 output channels (8 f32x4 accumulators) held over
// a whole chunk of images. Pointers are byte offsets into the imported memory, sizes in floats.
import { depthOffsets, gAt, inputTransform, tilesOf } from './shared/winograd';
export { winogradScratchFloats } from './shared/winograd';

/**
 * D [xi][position][..cp] (xi stride `xs` bytes) = A dy for the 4 output gradients of every tile of
 * `rows` rows of dy ([rows, ow, cOut]); outputs from ow on are zero, as are channels cOut .. cp.
 */
function outputGradTransform(dy: usize, d: usize, rows: i32, ow: i32, cOut: i32, cp: i32, t: i32, xs: usize): void {
  const oc = <usize>cOut << 2;
  const c4 = cOut & ~3;
  const z = f32x4.splat(0);
  const two = f32x4.splat(2), four = f32x4.splat(4), eight = f32x4.splat(8);
  let to = d;
  for (let r = 0; r < rows; r++) {
    for (let tt = 0; tt < t; tt++) {
      const ox = tt << 2;
      const n = min(4, ow - ox);
      const from = dy + <usize>(r * ow + ox) * oc;
      for (let co = 0; co < cp; co += 4) {
        let g0 = z, g1 = z, g2 = z, g3 = z;
        const at = from + (<usize>co << 2);
        if (co < c4) {
          g0 = v128.load(at);
          if (n > 1) g1 = v128.load(at + oc);
          if (n > 2) g2 = v128.load(at + 2 * oc);
          if (n > 3) g3 = v128.load(at + 3 * oc);
        } else if (co < cOut) {
          g0 = lanes(at, cOut - co);
          if (n > 1) g1 = lanes(at + oc, cOut - co);
          if (n > 2) g2 = lanes(at + 2 * oc, cOut - co);
          if (n > 3) g3 = lanes(at + 3 * oc, cOut - co);
        }
        // D0 = g0, D1 = g0 + g1 + g2 + g3, D2 = g0 - g1 + g2 - g3,
        // D3 = g0 + 2 g1 + 4 g2 + 8 g3, D4 = g0 - 2 g1 + 4 g2 - 8 g3, D5 = g3
        const e = f32x4.add(g0, g2), o = f32x4.add(g1, g3);
        const e4 = f32x4.add(g0, f32x4.mul(four, g2)), o8 = f32x4.add(f32x4.mul(two, g1), f32x4.mul(eight, g3));
        const dst = to + (<usize>co << 2);
        v128.store(dst, g0);
        v128.store(dst + xs, f32x4.add(e, o));
        v128.store(dst + 2 * xs, f32x4.sub(e, o));
        v128.store(dst + 3 * xs, f32x4.add(e4, o8));
        v128.store(dst + 4 * xs, f32x4.sub(e4, o8));
        v128.store(dst + 5 * xs, g3);
      }
      to += <usize>cp << 2;
    }
  }
}

/** The first `n` (1..3) floats at `at`, zeros after. */
// @ts-ignore: decorator
@inline function lanes(at: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/**
 * dU[xi] [k, cp] += sum over the positions of the chunk of V[xi][pos, offs[r]] * D[xi][pos, ..cp]: the
 * positions of each of `nb` images run in `runs` runs of `runLen` tiles `cs` bytes apart (runs `runStep`
 * bytes apart, images `imageStep` bytes apart in V); D holds them in order, `ds` bytes apart.
 */
function gemmChunk(
  vx: usize, dx: usize, du: usize, offs: usize, nb: i32, runs: i32, runLen: i32,
  cs: usize, runStep: usize, imageStep: usize, k: i32, cp: i32,
): void {
  const ds = <usize>cp << 2;
  const k4 = k & ~3;
  for (let kb = 0; kb < k; kb += 4) {
    const quad = kb < k4;
    const o0 = <usize>load<i32>(offs + (<usize>kb << 2)) << 2;
    const o1 = quad ? <usize>load<i32>(offs + (<usize>(kb + 1) << 2)) << 2 : o0;
    const o2 = quad ? <usize>load<i32>(offs + (<usize>(kb + 2) << 2)) << 2 : o0;
    const o3 = quad ? <usize>load<i32>(offs + (<usize>(kb + 3) << 2)) << 2 : o0;
    for (let c = 0; c < cp; c += 8) {
      const w0 = du + (<usize>(kb * cp + c) << 2);
      if (quad) {
        const w1 = w0 + ds, w2 = w1 + ds, w3 = w2 + ds;
        let s00 = v128.load(w0), s01 = v128.load(w0, 16), s10 = v128.load(w1), s11 = v128.load(w1, 16);
        let s20 = v128.load(w2), s21 = v128.load(w2, 16), s30 = v128.load(w3), s31 = v128.load(w3, 16);
        let dp = dx + (<usize>c << 2);
        for (let img = 0; img < nb; img++) {
          for (let run = 0; run < runs; run++) {
            let a = vx + <usize>img * imageStep + <usize>run * runStep;
            for (let p = 0; p < runLen; p++) {
              const d0 = v128.load(dp);
              const d1 = v128.load(dp, 16);
              const a0 = v128.load32_splat(a + o0);
              s00 = f32x4.add(s00, f32x4.mul(a0, d0));
              s01 = f32x4.add(s01, f32x4.mul(a0, d1));
              const a1 = v128.load32_splat(a + o1);
              s10 = f32x4.add(s10, f32x4.mul(a1, d0));
              s11 = f32x4.add(s11, f32x4.mul(a1, d1));
              const a2 = v128.load32_splat(a + o2);
              s20 = f32x4.add(s20, f32x4.mul(a2, d0));
              s21 = f32x4.add(s21, f32x4.mul(a2, d1));
              const a3 = v128.load32_splat(a + o3);
              s30 = f32x4.add(s30, f32x4.mul(a3, d0));
              s31 = f32x4.add(s31, f32x4.mul(a3, d1));
              a += cs;
              dp += ds;
            }
          }
        }
        v128.store(w0, s00); v128.store(w0, s01, 16); v128.store(w1, s10); v128.store(w1, s11, 16);
        v128.store(w2, s20); v128.store(w2, s21, 16); v128.store(w3, s30); v128.store(w3, s31, 16);
      } else {
        for (let j = 0; j < k - kb; j++) {
          const wj = w0 + <usize>j * ds;
          const oj = <usize>load<i32>(offs + (<usize>(kb + j) << 2)) << 2;
          let s0 = v128.load(wj), s1 = v128.load(wj, 16);
          let dp = dx + (<usize>c << 2);
          for (let img = 0; img < nb; img++) {
            for (let run = 0; run < runs; run++) {
              let a = vx + <usize>img * imageStep + <usize>run * runStep;
              for (let p = 0; p < runLen; p++) {
                const a0 = v128.load32_splat(a + oj);
                s0 = f32x4.add(s0, f32x4.mul(a0, v128.load(dp)));
                s1 = f32x4.add(s1, f32x4.mul(a0, v128.load(dp, 16)));
                a += cs;
                dp += ds;
              }
            }
          }
          v128.store(wj, s0); v128.store(wj, s1, 16);
        }
      }
    }
  }
}

/**
 * dW [fh, 3, cIn, cOut] = the filter gradient of the convolution of x [batch, h, wIn, cIn] (read in
 * place, seen padded by `top` rows and `left` columns of zeros; `hp` rows read per image) whose output
 * gradient is dy [batch, oh, ow, cOut]: output row oy reads padded rows oy * sh + fy * dh and columns
 * ox .. ox + 2. `scratch` holds winogradScratchFloats(chunk, ...) floats (shared/winograd.ts).
 */
export function winogradBackpropFilter(
  x: usize, dy: usize, dw: usize, scratch: usize,
  batch: i32, h: i32, wIn: i32, top: i32, left: i32, hp: i32, cIn: i32, oh: i32, ow: i32, cOut: i32,
  fh: i32, sh: i32, dh: i32, chunk: i32,
): void {
  const k = fh * cIn;
  const cp = (cOut + 7) & ~7;
  const t = tilesOf(ow);
  const offs = scratch;
  const du = offs + (<usize>((k + 3) & ~3) << 2);
  const v = du + (<usize>(6 * k * cp) << 2);
  const xsV = <usize>(chunk * hp * t * cIn) << 2; // V [xi][image][row][tile][ci]: its xi stride, bytes
  const d = v + 6 * xsV;
  depthOffsets(offs, fh, dh, t, cIn);
  for (let i = 0; i < 6 * k * cp; i += 4) v128.store(du + (<usize>i << 2), f32x4.splat(0));
  const cs = <usize>cIn << 2;
  // Positions (image, oy, tile) in runs of evenly spaced tiles: a whole image at height stride 1.
  const runs = sh == 1 ? 1 : oh;
  const runLen = sh == 1 ? oh * t : t;
  const runStep = <usize>(sh * t) * cs;
  const imageStep = <usize>(hp * t) * cs;
  const xsD = <usize>(chunk * oh * t * cp) << 2; // D is [xi][position][cp]
  const duXi = <usize>(k * cp) << 2;
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const nb = min(chunk, batch - b0);
    inputTransform(x + (<usize>(b0 * h * wIn) * cs), v, xsV, nb, h, wIn, cIn, hp, top, left, t);
    outputGradTransform(dy + (<usize>(b0 * oh * ow * cOut) << 2), d, nb * oh, ow, cOut, cp, t, xsD);
    for (let xi = 0; xi < 6; xi++) {
      gemmChunk(v + <usize>xi * xsV, d + <usize>xi * xsD, du + <usize>xi * duXi, offs, nb, runs, runLen, cs, runStep, imageStep, k, cp);
    }
  }
  // dW[fy, fx, ci, co] = sum over xi of G[xi][fx] dU[xi][(fy, ci), co]
  for (let fy = 0; fy < fh; fy++) {
    for (let fx = 0; fx < 3; fx++) {
      const g0 = gAt(0, fx), g1 = gAt(1, fx), g2 = gAt(2, fx), g3 = gAt(3, fx), g4 = gAt(4, fx), g5 = gAt(5, fx);
      for (let ci = 0; ci < cIn; ci++) {
        const src = du + (<usize>((fy * cIn + ci) * cp) << 2);
        const dst = dw + (<usize>(((fy * 3 + fx) * cIn + ci) * cOut) << 2);
        for (let co = 0; co < cOut; co++) {
          const at = src + (<usize>co << 2);
          store<f32>(dst + (<usize>co << 2),
            g0 * load<f32>(at) + g1 * load<f32>(at + duXi) + g2 * load<f32>(at + 2 * duXi) +
            g3 * load<f32>(at + 3 * duXi) + g4 * load<f32>(at + 4 * duXi) + g5 * load<f32>(at + 5 * duXi));
        }
      }
    }
  }
}
