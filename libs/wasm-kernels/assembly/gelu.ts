// GELU with the tanh approximation (PyTorch's F.gelu(approximate='tanh'), BERT/GPT's GELU) and its
// derivative in WebAssembly SIMD: one pass each way instead of ~9 element-wise tfjs kernels forward
// and ~15 backward, each a pass over memory and a dispatch.
//   y = 0.5 x (1 + t),  t = tanh(u),  u = c (x + 0.044715 x^3),  c = sqrt(2 / pi)
//   dy/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 * 0.044715 x^2)
import { tanh4 } from './tanh';

// @ts-ignore: decorator
@inline function inner(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  return f32x4.mul(f32x4.splat(0.7978845608028654), f32x4.add(x, f32x4.mul(f32x4.mul(x2, x), f32x4.splat(0.044715))));
}

// @ts-ignore: decorator
@inline function gelu4(x: v128): v128 {
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), f32x4.add(tanh4(inner(x)), f32x4.splat(1)));
}

// @ts-ignore: decorator
@inline function geluGrad4(x: v128, dy: v128): v128 {
  const t = tanh4(inner(x));
  const half = f32x4.splat(0.5);
  const x2 = f32x4.mul(x, x);
  const du = f32x4.mul(f32x4.splat(0.7978845608028654), f32x4.add(f32x4.splat(1), f32x4.mul(x2, f32x4.splat(0.134145))));
  const d = f32x4.add(
    f32x4.mul(half, f32x4.add(f32x4.splat(1), t)),
    f32x4.mul(f32x4.mul(f32x4.mul(half, x), f32x4.sub(f32x4.splat(1), f32x4.mul(t, t))), du),
  );
  return f32x4.mul(dy, d);
}

/** out[i] = gelu(x[i]) for n floats (out may be x). */
export function gelu(x: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, gelu4(v128.load(x + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, f32x4.extract_lane(gelu4(f32x4.splat(load<f32>(x + at))), 0));
  }
}

/** dx[i] = dy[i] * gelu'(x[i]) for n floats (dx may be dy). */
export function geluGrad(x: usize, dy: usize, dx: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    v128.store(dx + at, geluGrad4(v128.load(x + at), v128.load(dy + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(dx + at, f32x4.extract_lane(geluGrad4(f32x4.splat(load<f32>(x + at)), f32x4.splat(load<f32>(dy + at))), 0));
  }
}
