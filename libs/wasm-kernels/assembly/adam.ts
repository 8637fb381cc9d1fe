// One Adam / AMSGrad update of one parameter in WebAssembly SIMD: a single pass over param, grad and
// the moment slots instead of ~10 element-wise tfjs kernels (each a full pass over memory plus a
// dispatch). Every operation is the one torch 1.13's _single_tensor_adam and @omnitrain/optim's
// op-by-op rule do, in the same order and in float32, so results are bit-identical to that rule:
//   m' = m b1 + g (1 - b1)            (m' = g (1 - b1) on the first step: no previous slots)
//   v' = v b2 + (g (1 - b2)) g        (likewise)
//   s  = AMSGrad ? max(vmax, v') : v' (vmax' = s)
//   p' = p + (m' (-stepSize)) / (sqrt(s) / c2 + eps)
// Scalars come in as float32 (the caller rounds them exactly as a tfjs scalar tensor would).
// Pointers are byte offsets into the imported memory; an output may alias its input.

/**
 * The update of n floats. `first`: no previous m, v, vmax (they are read as absent). `amsgrad`: keep
 * and use the running maximum (vmax / vmaxOut; vmax unread when `first`).
 */
export function adamUpdate(
  param: usize, grad: usize, m: usize, v: usize, vmax: usize,
  paramOut: usize, mOut: usize, vOut: usize, vmaxOut: usize,
  n: i32, first: bool, amsgrad: bool,
  b1: f32, oneMinusB1: f32, b2: f32, oneMinusB2: f32, c2: f32, eps: f32, negStepSize: f32,
): void {
  const B1 = f32x4.splat(b1), OB1 = f32x4.splat(oneMinusB1), B2 = f32x4.splat(b2), OB2 = f32x4.splat(oneMinusB2);
  const C2 = f32x4.splat(c2), EPS = f32x4.splat(eps), NS = f32x4.splat(negStepSize);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(grad + at);
    let mn = f32x4.mul(g, OB1);
    let vn = f32x4.mul(f32x4.mul(g, OB2), g);
    if (!first) {
      mn = f32x4.add(f32x4.mul(v128.load(m + at), B1), mn);
      vn = f32x4.add(f32x4.mul(v128.load(v + at), B2), vn);
    }
    let s = vn;
    if (amsgrad) {
      if (!first) s = f32x4.max(v128.load(vmax + at), vn);
      v128.store(vmaxOut + at, s);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(s), C2), EPS);
    v128.store(paramOut + at, f32x4.add(v128.load(param + at), f32x4.div(f32x4.mul(mn, NS), denom)));
    v128.store(mOut + at, mn);
    v128.store(vOut + at, vn);
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(grad + at);
    let mn: f32 = g * oneMinusB1;
    let vn: f32 = (g * oneMinusB2) * g;
    if (!first) {
      mn = load<f32>(m + at) * b1 + mn;
      vn = load<f32>(v + at) * b2 + vn;
    }
    let s = vn;
    if (amsgrad) {
      if (!first) s = max(load<f32>(vmax + at), vn); // NaN wins, as in f32x4.max
      store<f32>(vmaxOut + at, s);
    }
    const denom: f32 = sqrt<f32>(s) / c2 + eps;
    store<f32>(paramOut + at, load<f32>(param + at) + (mn * negStepSize) / denom);
    store<f32>(mOut + at, mn);
    store<f32>(vOut + at, vn);
  }
}
