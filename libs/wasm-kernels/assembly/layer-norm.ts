// Layer normalization over the last axis (PyTorch's nn.LayerNorm, population variance) and its
// gradient in WebAssembly SIMD: one pass per row forward, two backward, instead of ~10 element-wise
// and reduction tfjs kernels forward and ~25 backward.
//   xhat = (x - mean) / sqrt(var + eps),  y = xhat gamma + beta
//   dx = rstd (g - mean(g) - xhat mean(g xhat)),  g = dy gamma;  dgamma = sum dy xhat,  dbeta = sum dy
// Rows are `d` floats; lanes run along the row (d % 4 != 0 finishes one lane at a time).

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** mean and 1 / sqrt(var + eps) of the row at `x`, in two passes (as tf.moments: mean first). */
// @ts-ignore: decorator
@inline function rowStats(x: usize, d: i32, eps: f32): f64 {
  const d4 = d & ~3;
  let s = f32x4.splat(0);
  let j = 0;
  for (; j < d4; j += 4) s = f32x4.add(s, v128.load(x + (<usize>j << 2)));
  let sum = hsum(s);
  for (; j < d; j++) sum += load<f32>(x + (<usize>j << 2));
  const mean: f32 = sum / <f32>d;
  const m = f32x4.splat(mean);
  let q = f32x4.splat(0);
  for (j = 0; j < d4; j += 4) {
    const c = f32x4.sub(v128.load(x + (<usize>j << 2)), m);
    q = f32x4.add(q, f32x4.mul(c, c));
  }
  let sq = hsum(q);
  for (; j < d; j++) {
    const c = load<f32>(x + (<usize>j << 2)) - mean;
    sq += c * c;
  }
  const rstd: f32 = <f32>1 / sqrt<f32>(sq / <f32>d + eps);
  // Both in one f64 return: mean in the high 32 bits, rstd in the low (reinterpreted, not converted).
  return reinterpret<f64>((<u64>reinterpret<u32>(mean) << 32) | <u64>reinterpret<u32>(rstd));
}

/** out [rows, d] = layerNorm(x) gamma + beta (out may be x). */
export function layerNorm(x: usize, gamma: usize, beta: usize, out: usize, rows: i32, d: i32, eps: f32): void {
  const d4 = d & ~3;
  const rowBytes = <usize>d << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    const st = reinterpret<u64>(rowStats(xr, d, eps));
    const mean = reinterpret<f32>(<u32>(st >> 32));
    const rstd = reinterpret<f32>(<u32>st);
    const m = f32x4.splat(mean), rs = f32x4.splat(rstd);
    let j = 0;
    for (; j < d4; j += 4) {
      const at = <usize>j << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + at), m), rs);
      v128.store(or + at, f32x4.add(f32x4.mul(xhat, v128.load(gamma + at)), v128.load(beta + at)));
    }
    for (; j < d; j++) {
      const at = <usize>j << 2;
      store<f32>(or + at, (load<f32>(xr + at) - mean) * rstd * load<f32>(gamma + at) + load<f32>(beta + at));
    }
  }
}

/**
 * The gradients of {@link layerNorm}: dx [rows, d] (may alias dy), dgamma [d] and dbeta [d]
 * (overwritten, summed over rows), from x, gamma and the output gradient dy.
 */
export function layerNormGrad(x: usize, gamma: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, rows: i32, d: i32, eps: f32): void {
  const d4 = d & ~3;
  const rowBytes = <usize>d << 2;
  memory.fill(dgamma, 0, rowBytes);
  memory.fill(dbeta, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const dyr = dy + <usize>r * rowBytes;
    const dxr = dx + <usize>r * rowBytes;
    const st = reinterpret<u64>(rowStats(xr, d, eps));
    const mean = reinterpret<f32>(<u32>(st >> 32));
    const rstd = reinterpret<f32>(<u32>st);
    const m = f32x4.splat(mean), rs = f32x4.splat(rstd);
    // Pass 1: sums of g and g xhat over the row; dgamma, dbeta accumulate.
    let sg = f32x4.splat(0), sgx = f32x4.splat(0);
    let j = 0;
    for (; j < d4; j += 4) {
      const at = <usize>j << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + at), m), rs);
      const e = v128.load(dyr + at);
      const g = f32x4.mul(e, v128.load(gamma + at));
      sg = f32x4.add(sg, g);
      sgx = f32x4.add(sgx, f32x4.mul(g, xhat));
      v128.store(dgamma + at, f32x4.add(v128.load(dgamma + at), f32x4.mul(e, xhat)));
      v128.store(dbeta + at, f32x4.add(v128.load(dbeta + at), e));
    }
    let sumG = hsum(sg), sumGx = hsum(sgx);
    for (; j < d; j++) {
      const at = <usize>j << 2;
      const xhat = (load<f32>(xr + at) - mean) * rstd;
      const e = load<f32>(dyr + at);
      const g = e * load<f32>(gamma + at);
      sumG += g;
      sumGx += g * xhat;
      store<f32>(dgamma + at, load<f32>(dgamma + at) + e * xhat);
      store<f32>(dbeta + at, load<f32>(dbeta + at) + e);
    }
    const mg: f32 = sumG / <f32>d, mgx: f32 = sumGx / <f32>d;
    const MG = f32x4.splat(mg), MGX = f32x4.splat(mgx);
    // Pass 2: dx (after pass 1: dx may alias dy).
    for (j = 0; j < d4; j += 4) {
      const at = <usize>j << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + at), m), rs);
      const g = f32x4.mul(v128.load(dyr + at), v128.load(gamma + at));
      v128.store(dxr + at, f32x4.mul(rs, f32x4.sub(f32x4.sub(g, MG), f32x4.mul(xhat, MGX))));
    }
    for (; j < d; j++) {
      const at = <usize>j << 2;
      const xhat = (load<f32>(xr + at) - mean) * rstd;
      const g = load<f32>(dyr + at) * load<f32>(gamma + at);
      store<f32>(dxr + at, rstd * (g - mg - xhat * mgx));
    }
  }
}
