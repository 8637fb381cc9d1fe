// An LSTM layer over a whole sequence in two calls, forward and backward (backpropagation through
// time), as assembly/gru.ts does for the GRU: the input projections of every step come in
// precomputed; per step one product with the recurrent weights (packed once) and the gate
// arithmetic in f32x4.
//
// Layouts (float32, row-major; T steps, B rows, U units; gate blocks i, f, g, o: Keras, tfjs-layers
// and PyTorch alike):
//   x       [T, B, 4U]  input projections (x W_x + b_x)
//   h0, c0  [B, U]      initial states
//   w       [U, 4U]     recurrent weights; bias [4U] recurrent bias
//   mask    [T, B]      1 = real step, 0 = padding: both states pass through unchanged
//   out     [7, T, B, U] planes h, c (the states of every step), then i, f, g, o, tanh(c') for the
//                       backward pass
// i = act(z_i), f = act(z_f), g = tanh(z_g), o = act(z_o) with z = x + h W + bias;
// c' = f c + i g, h' = o tanh(c'); c_t = m c' + (1 - m) c, h_t = m h' + (1 - m) h;
// act = sigmoid, or hard sigmoid clip(0.2 v + 0.5, 0, 1) when `hard`.
import { gemmPacked, packPanels } from './gemm';
import { tanh4 } from './tanh';
import { CHUNK_ROWS, act, actGrad, columnSums, f, ld, pad8, previousStateProducts, st } from './shared/recurrent';

/** Floats of scratch {@link lstmForward} needs. */
export function lstmForwardScratch(B: i32, U: i32): i32 {
  return pad8(4 * U) * U + B * 4 * U + 32;
}

/** Floats of scratch {@link lstmBackward} needs. */
export function lstmBackwardScratch(T: i32, B: i32, U: i32): i32 {
  return pad8(U) * 4 * U + pad8(4 * U) * max(B, CHUNK_ROWS) + 32;
}

// @ts-ignore: decorator
@inline function fwdCell(
  xr: usize, zr: usize, bias: usize, hp: usize, cp: usize, o0: usize, P: usize, m: v128, at: usize,
  U: i32, hard: bool, wide: bool,
): void {
  const one = f32x4.splat(1);
  const u = f(U);
  const zi = f32x4.add(ld(xr + at, wide), f32x4.add(ld(zr + at, wide), ld(bias + at, wide)));
  const zf = f32x4.add(ld(xr + u + at, wide), f32x4.add(ld(zr + u + at, wide), ld(bias + u + at, wide)));
  const zg = f32x4.add(ld(xr + 2 * u + at, wide), f32x4.add(ld(zr + 2 * u + at, wide), ld(bias + 2 * u + at, wide)));
  const zo = f32x4.add(ld(xr + 3 * u + at, wide), f32x4.add(ld(zr + 3 * u + at, wide), ld(bias + 3 * u + at, wide)));
  const i = act(zi, hard);
  const fg = act(zf, hard);
  const g = tanh4(zg);
  const o = act(zo, hard);
  const h = ld(hp + at, wide);
  const c = ld(cp + at, wide);
  const cNew = f32x4.add(f32x4.mul(fg, c), f32x4.mul(i, g));
  const tc = tanh4(cNew);
  const hNew = f32x4.mul(o, tc);
  const keep = f32x4.sub(one, m);
  st(o0 + at, f32x4.add(f32x4.mul(hNew, m), f32x4.mul(h, keep)), wide);
  st(o0 + P + at, f32x4.add(f32x4.mul(cNew, m), f32x4.mul(c, keep)), wide);
  st(o0 + 2 * P + at, i, wide);
  st(o0 + 3 * P + at, fg, wide);
  st(o0 + 4 * P + at, g, wide);
  st(o0 + 5 * P + at, o, wide);
  st(o0 + 6 * P + at, tc, wide);
}

/** The forward pass: fills `out` (layout above). */
export function lstmForward(
  x: usize, h0: usize, c0: usize, w: usize, bias: usize, mask: usize, out: usize, scratch: usize,
  T: i32, B: i32, U: i32, hard: bool,
): void {
  const U4 = 4 * U;
  const P = f(T * B * U); // bytes between planes
  const packed = scratch;
  const z = packed + f(pad8(U4) * U); // [B, 4U]
  const tmp = z + f(B * U4);
  packPanels(w, packed, U, U4, U4, 1);
  const Uw = U & ~3;
  for (let t = 0; t < T; t++) {
    const hp = t == 0 ? h0 : out + f((t - 1) * B * U);
    const cp = t == 0 ? c0 : out + P + f((t - 1) * B * U);
    gemmPacked(hp, packed, z, tmp, B, U, U4, U, 1, U4, false);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const xr = x + f(row * U4);
      const zr = z + f(b * U4);
      const o0 = out + f(row * U);
      const m = f32x4.splat(load<f32>(mask + f(row)));
      let j = 0;
      for (; j < Uw; j += 4) fwdCell(xr, zr, bias, hp + f(b * U), cp + f(b * U), o0, P, m, f(j), U, hard, true);
      for (; j < U; j++) fwdCell(xr, zr, bias, hp + f(b * U), cp + f(b * U), o0, P, m, f(j), U, hard, false);
    }
  }
}

// @ts-ignore: decorator
@inline function bwdCell(
  dyr: usize, o0: usize, P: usize, chr: usize, ccr: usize, cpr: usize, dxr: usize, m: v128, at: usize,
  U: i32, hard: bool, wide: bool,
): void {
  const one = f32x4.splat(1);
  const u = f(U);
  const keep = f32x4.sub(one, m);
  const gh = f32x4.add(ld(dyr + at, wide), ld(chr + at, wide)); // d h_t
  const gc = f32x4.add(ld(dyr + P + at, wide), ld(ccr + at, wide)); // d c_t
  const i = ld(o0 + 2 * P + at, wide);
  const fg = ld(o0 + 3 * P + at, wide);
  const g = ld(o0 + 4 * P + at, wide);
  const o = ld(o0 + 5 * P + at, wide);
  const tc = ld(o0 + 6 * P + at, wide);
  const dh = f32x4.mul(gh, m); // d h'
  const dc = f32x4.add(f32x4.mul(gc, m), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc)))); // d c'
  st(chr + at, f32x4.mul(gh, keep), wide); // d h_{t-1}, before the product with W^T
  st(ccr + at, f32x4.add(f32x4.mul(dc, fg), f32x4.mul(gc, keep)), wide); // d c_{t-1}
  st(dxr + at, f32x4.mul(f32x4.mul(dc, g), actGrad(i, hard)), wide);
  st(dxr + u + at, f32x4.mul(f32x4.mul(dc, ld(cpr + at, wide)), actGrad(fg, hard)), wide);
  st(dxr + 2 * u + at, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), wide);
  st(dxr + 3 * u + at, f32x4.mul(f32x4.mul(dh, tc), actGrad(o, hard)), wide);
}

/**
 * The backward pass: from dy [7, T, B, U] (gradients of the h and c planes; the rest is not read)
 * and the forward's `out`, fills dx [T, B, 4U] (the pre-activation gradients), dh0, dc0 [B, U],
 * dw [U, 4U] and dbias [4U].
 */
export function lstmBackward(
  dy: usize, out: usize, h0: usize, c0: usize, w: usize, mask: usize,
  dx: usize, dh0: usize, dc0: usize, dw: usize, dbias: usize, scratch: usize,
  T: i32, B: i32, U: i32, hard: bool,
): void {
  const U4 = 4 * U;
  const P = f(T * B * U);
  const packedT = scratch; // W^T [4U, U]
  const pk = packedT + f(pad8(U) * U4);
  const tmp = pk + f(pad8(U4) * max(B, CHUNK_ROWS));
  packPanels(w, packedT, U4, U, 1, U4);
  for (let i = 0; i < B * U; i++) {
    store<f32>(dh0 + f(i), 0);
    store<f32>(dc0 + f(i), 0);
  }
  const Uw = U & ~3;
  for (let t = T - 1; t >= 0; t--) {
    const cp = t == 0 ? c0 : out + P + f((t - 1) * B * U);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const m = f32x4.splat(load<f32>(mask + f(row)));
      const dyr = dy + f(row * U);
      const o0 = out + f(row * U);
      const chr = dh0 + f(b * U);
      const ccr = dc0 + f(b * U);
      const cpr = cp + f(b * U);
      const dxr = dx + f(row * U4);
      let j = 0;
      for (; j < Uw; j += 4) bwdCell(dyr, o0, P, chr, ccr, cpr, dxr, m, f(j), U, hard, true);
      for (; j < U; j++) bwdCell(dyr, o0, P, chr, ccr, cpr, dxr, m, f(j), U, hard, false);
    }
    // d h_{t-1} += dz_t W^T
    gemmPacked(dx + f(t * B * U4), packedT, dh0, tmp, B, U4, U, U4, 1, U, true);
  }
  // dw = [h0; h_0..h_{T-2}]^T dz over all steps; dbias = column sums of dz.
  previousStateProducts(dx, U4, U4, h0, out, dw, pk, tmp, T, B, U);
  columnSums(dx, dbias, T * B, U4);
}
