// tanh in WebAssembly SIMD: the rational minimax approximation Eigen uses for float (odd degree-13
// numerator over even degree-6 denominator in x, inputs clamped to +-7.9053111 where tanh rounds to
// +-1 in float32, x itself below |x| < 0.0004): a few ulp from the true value, 4 lanes per step,
// no libm call. The shipped wasm `Tanh` calls scalar libm per element. `tanh4` is also the
// activation of the fused GRU (assembly/gru.ts).

/** tanh of 4 lanes. */
// @ts-ignore: decorator
@inline export function tanh4(v: v128): v128 {
  const c = f32x4.max(f32x4.min(v, f32x4.splat(7.90531110763549805)), f32x4.splat(-7.90531110763549805));
  const c2 = f32x4.mul(c, c);
  let p = f32x4.add(f32x4.mul(c2, f32x4.splat(-2.76076847742355e-16)), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(c2, p), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(c2, p), f32x4.splat(5.12229709037114e-08));
  p = f32x4.add(f32x4.mul(c2, p), f32x4.splat(1.48572235717979e-05));
  p = f32x4.add(f32x4.mul(c2, p), f32x4.splat(6.37261928875436e-04));
  p = f32x4.add(f32x4.mul(c2, p), f32x4.splat(4.89352455891786e-03));
  p = f32x4.mul(c, p);
  let q = f32x4.add(f32x4.mul(c2, f32x4.splat(1.19825839466702e-06)), f32x4.splat(1.18534705686654e-04));
  q = f32x4.add(f32x4.mul(c2, q), f32x4.splat(2.26843463243900e-03));
  q = f32x4.add(f32x4.mul(c2, q), f32x4.splat(4.89352518554385e-03));
  const small = f32x4.lt(f32x4.abs(v), f32x4.splat(0.0004));
  return v128.bitselect(v, f32x4.div(p, q), small);
}

/** out[i] = tanh(x[i]) for n floats (x and out may be the same). */
export function tanh(x: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, tanh4(v128.load(x + at)));
  }
  // The tail, one lane at a time through the same 4-lane code.
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x + at))), 0));
  }
}
