// A GRU layer over a whole sequence in two calls, forward and backward (backpropagation through time),
// instead of ~15 tfjs kernels per time step forward and ~30 backward. The input projections of every
// step (x W_x + b_x, one large product) come in precomputed; here runs the recurrence: per step one
// product with the recurrent weights (packed once, assembly/gemm.ts) and the gate arithmetic in f32x4.
//
// Layouts (float32, row-major; T steps, B rows, U units):
//   x      [T, B, 3U]  input projections, gate blocks in the variant's order (below)
//   h0     [B, U]      initial state
//   w      [U, 3U]     recurrent weights, same gate blocks; bias [3U] recurrent bias
//   mask   [T, B]      1 = real step, 0 = padding: the state passes through unchanged
//   h      [T, B, U]   the states (= outputs) of every step
//   gates  [4, T, B, U] saved for the backward pass: planes r, z, n and a fourth (below); the
//                      kernel's one output is [h; gates] = [5, T, B, U], h first
// Variants:
//   reset after (PyTorch nn.GRU): blocks r, z, n; hh = h W + bias; n = tanh(x_n + r * hh_n);
//     fourth plane hh_n.
//   reset before (Keras / tfjs-layers GRU): blocks z, r, n; n = tanh(x_n + (r * h) W_n + bias_n);
//     fourth plane r * h.
//   both: r = act(x_r + hh_r), z = act(x_z + hh_z), h' = n + z (h - n), h_t = m h' + (1 - m) h;
//   act = sigmoid, or hard sigmoid clip(0.2 v + 0.5, 0, 1) when `hard`.
import { gemmPacked, packPanels } from './gemm';
import { tanh4 } from './tanh';
import { CHUNK_ROWS, act, actGrad, columnSums, f, ld, pad8, previousStateProducts, st, transposedProducts } from './shared/recurrent';

/** Floats of scratch {@link gruForward} needs. */
export function gruForwardScratch(B: i32, U: i32): i32 {
  return (pad8(2 * U) + pad8(U)) * U + B * 3 * U + 32;
}

/** Floats of scratch {@link gruBackward} needs. */
export function gruBackwardScratch(T: i32, B: i32, U: i32): i32 {
  return pad8(U) * 3 * U + T * B * 3 * U + pad8(3 * U) * max(B, CHUNK_ROWS) + 32;
}

// The per-element work of one row, as 4 lanes (`wide`) or 1 (the tail when U % 4 != 0).

// @ts-ignore: decorator
@inline function fwdGates(
  xr: usize, hr: usize, bias: usize, pr: usize, gr: usize, gp: usize, or: usize, m: v128, at: usize,
  U: i32, resetAfter: bool, hard: bool, wide: bool,
): void {
  const rCol = f(resetAfter ? 0 : U);
  const zCol = f(resetAfter ? U : 0);
  const nCol = f(2 * U);
  const r = act(f32x4.add(ld(xr + rCol + at, wide), f32x4.add(ld(hr + rCol + at, wide), ld(bias + rCol + at, wide))), hard);
  const z = act(f32x4.add(ld(xr + zCol + at, wide), f32x4.add(ld(hr + zCol + at, wide), ld(bias + zCol + at, wide))), hard);
  const p = ld(pr + at, wide);
  st(gr + at, r, wide);
  st(gr + gp + at, z, wide);
  if (resetAfter) {
    const hn = f32x4.add(ld(hr + nCol + at, wide), ld(bias + nCol + at, wide));
    const n = tanh4(f32x4.add(ld(xr + nCol + at, wide), f32x4.mul(r, hn)));
    st(gr + 2 * gp + at, n, wide);
    st(gr + 3 * gp + at, hn, wide);
    newState(or, at, n, z, p, m, wide);
  } else {
    st(gr + 3 * gp + at, f32x4.mul(r, p), wide); // r * h, the operand of the candidate's product
  }
}

// @ts-ignore: decorator
@inline function newState(or: usize, at: usize, n: v128, z: v128, p: v128, m: v128, wide: bool): void {
  const hNew = f32x4.add(n, f32x4.mul(z, f32x4.sub(p, n)));
  st(or + at, f32x4.add(f32x4.mul(hNew, m), f32x4.mul(p, f32x4.sub(f32x4.splat(1), m))), wide);
}

// @ts-ignore: decorator
@inline function fwdCandidate(
  xr: usize, hr: usize, bias: usize, pr: usize, gr: usize, gp: usize, or: usize, m: v128, at: usize, U: i32, wide: bool,
): void {
  const nCol = f(2 * U);
  const n = tanh4(f32x4.add(ld(xr + nCol + at, wide), f32x4.add(ld(hr + nCol + at, wide), ld(bias + nCol + at, wide))));
  st(gr + 2 * gp + at, n, wide);
  newState(or, at, n, ld(gr + gp + at, wide), ld(pr + at, wide), m, wide);
}

// @ts-ignore: decorator
@inline function bwdState(
  dyr: usize, cr: usize, gr: usize, gp: usize, pr: usize, dxr: usize, dhr: usize, m: v128, at: usize,
  U: i32, resetAfter: bool, hard: bool, wide: bool,
): void {
  const one = f32x4.splat(1);
  const rCol = f(resetAfter ? 0 : U);
  const zCol = f(resetAfter ? U : 0);
  const nCol = f(2 * U);
  const g = f32x4.add(ld(dyr + at, wide), ld(cr + at, wide));
  const z = ld(gr + gp + at, wide);
  const n = ld(gr + 2 * gp + at, wide);
  const p = ld(pr + at, wide);
  const ge = f32x4.mul(g, m);
  st(cr + at, f32x4.add(f32x4.mul(g, f32x4.sub(one, m)), f32x4.mul(ge, z)), wide);
  const dan = f32x4.mul(f32x4.mul(ge, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
  const daz = f32x4.mul(f32x4.mul(ge, f32x4.sub(p, n)), actGrad(z, hard));
  st(dxr + nCol + at, dan, wide);
  st(dxr + zCol + at, daz, wide);
  if (resetAfter) {
    const r = ld(gr + at, wide);
    const dar = f32x4.mul(f32x4.mul(dan, ld(gr + 3 * gp + at, wide)), actGrad(r, hard));
    st(dxr + rCol + at, dar, wide);
    st(dhr + rCol + at, dar, wide);
    st(dhr + zCol + at, daz, wide);
    st(dhr + nCol + at, f32x4.mul(dan, r), wide);
  }
}

// @ts-ignore: decorator
@inline function bwdReset(dr: usize, cr: usize, gr: usize, pr: usize, dxr: usize, at: usize, U: i32, hard: bool, wide: bool): void {
  const d = ld(dr + at, wide);
  const r = ld(gr + at, wide);
  st(cr + at, f32x4.add(ld(cr + at, wide), f32x4.mul(d, r)), wide);
  st(dxr + f(U) + at, f32x4.mul(f32x4.mul(d, ld(pr + at, wide)), actGrad(r, hard)), wide);
}

/** The forward pass: fills `h` and `gates` (layouts above). */
export function gruForward(
  x: usize, h0: usize, w: usize, bias: usize, mask: usize, h: usize, gates: usize, scratch: usize,
  T: i32, B: i32, U: i32, resetAfter: bool, hard: bool,
): void {
  const U3 = 3 * U;
  const nCol = 2 * U;
  const gp = f(T * B * U); // bytes between gate planes
  const packed = scratch; // after: w [U, 3U]; before: w[:, 0:2U] then w[:, 2U:3U]
  const packedN = packed + f(pad8(2 * U) * U);
  const hh = packedN + f(pad8(U) * U); // [B, 3U]
  const tmp = hh + f(B * U3);
  if (resetAfter) packPanels(w, packed, U, U3, U3, 1);
  else {
    packPanels(w, packed, U, 2 * U, U3, 1);
    packPanels(w + f(nCol), packedN, U, U, U3, 1);
  }
  const Uw = U & ~3;
  for (let t = 0; t < T; t++) {
    const hp = t == 0 ? h0 : h + f((t - 1) * B * U);
    // after: hh = h W; before: hh[:, 0:2U] = h W[:, 0:2U]
    gemmPacked(hp, packed, hh, tmp, B, U, resetAfter ? U3 : 2 * U, U, 1, U3, false);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const xr = x + f(row * U3);
      const hr = hh + f(b * U3);
      const pr = hp + f(b * U);
      const gr = gates + f(row * U);
      const or = h + f(row * U);
      const m = f32x4.splat(load<f32>(mask + f(row)));
      let j = 0;
      for (; j < Uw; j += 4) fwdGates(xr, hr, bias, pr, gr, gp, or, m, f(j), U, resetAfter, hard, true);
      for (; j < U; j++) fwdGates(xr, hr, bias, pr, gr, gp, or, m, f(j), U, resetAfter, hard, false);
    }
    if (resetAfter) continue;
    // before: hh[:, 2U:3U] = (r * h) W[:, 2U:3U], then the candidate and the new state.
    gemmPacked(gates + 3 * gp + f(t * B * U), packedN, hh + f(nCol), tmp, B, U, U, U, 1, U3, false);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const xr = x + f(row * U3);
      const hr = hh + f(b * U3);
      const pr = hp + f(b * U);
      const gr = gates + f(row * U);
      const or = h + f(row * U);
      const m = f32x4.splat(load<f32>(mask + f(row)));
      let j = 0;
      for (; j < Uw; j += 4) fwdCandidate(xr, hr, bias, pr, gr, gp, or, m, f(j), U, true);
      for (; j < U; j++) fwdCandidate(xr, hr, bias, pr, gr, gp, or, m, f(j), U, false);
    }
  }
}



/**
 * The backward pass: from dh [T, B, U] (the gradient of every step's output) and the forward's `h`
 * and `gates`, fills dx [T, B, 3U], dh0 [B, U], dw [U, 3U] and dbias [3U].
 */
export function gruBackward(
  dh: usize, h: usize, gates: usize, h0: usize, w: usize, mask: usize,
  dx: usize, dh0: usize, dw: usize, dbias: usize, scratch: usize,
  T: i32, B: i32, U: i32, resetAfter: bool, hard: bool,
): void {
  const U3 = 3 * U;
  const nCol = 2 * U;
  const gp = f(T * B * U); // bytes between gate planes
  const packedT = scratch; // after: W^T [3U, U]; before: W[:, 2U:3U]^T [U, U] then W[:, 0:2U]^T [2U, U]
  const packedZR = packedT + f(pad8(U) * U);
  const dhh = packedT + f(pad8(U) * U3); // after: [T, B, 3U] recurrent pre-activation gradients; before: drh [B, U]
  const pk = dhh + f(T * B * U3); // packed operand of the weight-gradient products
  const tmp = pk + f(pad8(U3) * max(B, CHUNK_ROWS));
  if (resetAfter) packPanels(w, packedT, U3, U, 1, U3);
  else {
    packPanels(w + f(nCol), packedT, U, U, 1, U3);
    packPanels(w, packedZR, 2 * U, U, 1, U3);
  }
  const carry = dh0; // the gradient flowing into the previous step's state
  for (let i = 0; i < B * U; i++) store<f32>(carry + f(i), 0);
  const Uw = U & ~3;
  for (let t = T - 1; t >= 0; t--) {
    const hp = t == 0 ? h0 : h + f((t - 1) * B * U);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const gr = gates + f(row * U);
      const pr = hp + f(b * U);
      const cr = carry + f(b * U);
      const dyr = dh + f(row * U);
      const dxr = dx + f(row * U3);
      const dhr = dhh + f(row * U3);
      const m = f32x4.splat(load<f32>(mask + f(row)));
      let j = 0;
      for (; j < Uw; j += 4) bwdState(dyr, cr, gr, gp, pr, dxr, dhr, m, f(j), U, resetAfter, hard, true);
      for (; j < U; j++) bwdState(dyr, cr, gr, gp, pr, dxr, dhr, m, f(j), U, resetAfter, hard, false);
    }
    if (resetAfter) {
      // carry += dhh_t W^T
      gemmPacked(dhh + f(t * B * U3), packedT, carry, tmp, B, U3, U, U3, 1, U, true);
      continue;
    }
    // before: drh = dn_pre W[:, 2U:3U]^T, then r's gradient, then carry += [dz, dr]_pre W[:, 0:2U]^T.
    const drh = dhh;
    gemmPacked(dx + f(t * B * U3 + nCol), packedT, drh, tmp, B, U, U, U3, 1, U, false);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const gr = gates + f(row * U);
      const pr = hp + f(b * U);
      const cr = carry + f(b * U);
      const dxr = dx + f(row * U3);
      const dr = drh + f(b * U);
      let j = 0;
      for (; j < Uw; j += 4) bwdReset(dr, cr, gr, pr, dxr, f(j), U, hard, true);
      for (; j < U; j++) bwdReset(dr, cr, gr, pr, dxr, f(j), U, hard, false);
    }
    gemmPacked(dx + f(t * B * U3), packedZR, carry, tmp, B, 2 * U, U, U3, 1, U, true);
  }
  // Weight gradients over all steps at once: dw = [h0; h_0..h_{T-2}]^T dpre (the columns whose
  // operand is the previous state); before: dw[:, n] = (r * h)^T dn_pre.
  const src = resetAfter ? dhh : dx;
  previousStateProducts(src, U3, resetAfter ? U3 : 2 * U, h0, h, dw, pk, tmp, T, B, U);
  if (!resetAfter) {
    transposedProducts(gates + 3 * gp, U, dx + f(nCol), U3, U, T * B, dw + f(nCol), U3, pk, tmp, U, false);
  }
  columnSums(src, dbias, T * B, U3);
}
