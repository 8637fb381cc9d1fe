// IEEE half precision for the fp16 wire (src/collective/float16-codec.ts), 8 values per iteration,
// branch-free: every lane computes the three cases (NaN/infinity/overflow, subnormal, normal) and
// keeps its own. The same bits as the JavaScript toFloat16 / fromFloat16 of src/collective/float16.ts
// for every input but NaN payloads (a NaN stays a NaN; its payload bits are not kept alike).
// Byte offsets into the caller's memory; n elements; any alignment works.

/** dst[i] (u16) = float32 src[i] rounded to half, to nearest even; overflow -> infinity. */
export function toHalf(dst: usize, src: usize, n: i32): void {
  const signMask = i32x4.splat(0x80000000);
  const f16max = i32x4.splat(0x47800000); // 2^16: from here on infinity (or NaN)
  const f32inf = i32x4.splat(0x7f800000);
  const minNormal = i32x4.splat(0x38800000); // 2^-14: below it, a half subnormal (or zero)
  const magic = i32x4.splat(0x3f000000); // 0.5: adding it rounds to the subnormal step 2^-24
  const rebias = i32x4.splat(0xc8000fff); // -(112 << 23) (exponent 127 -> 15) + 0xfff (round)
  const one = i32x4.splat(1);
  let i = 0;
  const n8 = n & ~7;
  for (; i < n8; i += 8) {
    const lo = half4(v128.load(src + ((<usize>i) << 2)), signMask, f16max, f32inf, minNormal, magic, rebias, one);
    const hi = half4(v128.load(src + ((<usize>i) << 2) + 16), signMask, f16max, f32inf, minNormal, magic, rebias, one);
    v128.store(dst + ((<usize>i) << 1), i16x8.narrow_i32x4_u(lo, hi));
  }
  for (; i < n; i++) store<u16>(dst + ((<usize>i) << 1), halfOf(load<u32>(src + ((<usize>i) << 2))));
}

// @ts-ignore: decorator
@inline
function half4(f: v128, signMask: v128, f16max: v128, f32inf: v128, minNormal: v128, magic: v128, rebias: v128, one: v128): v128 {
  const sign = v128.and(f, signMask);
  const a = v128.xor(f, sign);
  const special = v128.bitselect(i32x4.splat(0x7e00), i32x4.splat(0x7c00), i32x4.gt_u(a, f32inf));
  const sub = i32x4.sub(f32x4.add(a, magic), magic);
  const odd = v128.and(i32x4.shr_u(a, 13), one);
  const normal = i32x4.shr_u(i32x4.add(i32x4.add(a, rebias), odd), 13);
  const finite = v128.bitselect(sub, normal, i32x4.lt_u(a, minNormal));
  return v128.or(v128.bitselect(special, finite, i32x4.ge_u(a, f16max)), i32x4.shr_u(sign, 16));
}

// @ts-ignore: decorator
@inline
function halfOf(f: u32): u16 {
  const sign = f & 0x80000000;
  const a = f ^ sign;
  let h: u32;
  if (a >= 0x47800000) h = a > 0x7f800000 ? 0x7e00 : 0x7c00;
  else if (a < 0x38800000) h = reinterpret<u32>(reinterpret<f32>(a) + reinterpret<f32>(0x3f000000)) - 0x3f000000;
  else h = (a + 0xc8000fff + ((a >> 13) & 1)) >> 13;
  return <u16>(h | (sign >> 16));
}

/** dst[i] (f32) = the half src[i] (u16), exactly. */
export function fromHalf(dst: usize, src: usize, n: i32): void {
  const low15 = i32x4.splat(0x7fff);
  const expMask = i32x4.splat(0x0f800000); // the half exponent, shifted into place
  const rebias = i32x4.splat(0x38000000); // 112 << 23 (exponent 15 -> 127)
  const implicit = i32x4.splat(0x00800000);
  const minNormal = i32x4.splat(0x38800000); // 2^-14
  const signBit = i32x4.splat(0x8000);
  let i = 0;
  const n8 = n & ~7;
  for (; i < n8; i += 8) {
    const h = v128.load(src + ((<usize>i) << 1));
    v128.store(dst + ((<usize>i) << 2), float4(i32x4.extend_low_i16x8_u(h), low15, expMask, rebias, implicit, minNormal, signBit));
    v128.store(dst + ((<usize>i) << 2) + 16, float4(i32x4.extend_high_i16x8_u(h), low15, expMask, rebias, implicit, minNormal, signBit));
  }
  for (; i < n; i++) store<u32>(dst + ((<usize>i) << 2), floatOf(<u32>load<u16>(src + ((<usize>i) << 1))));
}

// @ts-ignore: decorator
@inline
function float4(h: v128, low15: v128, expMask: v128, rebias: v128, implicit: v128, minNormal: v128, signBit: v128): v128 {
  const m = i32x4.shl(v128.and(h, low15), 13);
  const exp = v128.and(m, expMask);
  const o = i32x4.add(m, rebias);
  const special = i32x4.add(o, rebias); // infinity / NaN: the float exponent all ones
  const sub = f32x4.sub(i32x4.add(o, implicit), minNormal); // subnormal / zero: renormalized by the FPU
  const zero = i32x4.splat(0);
  const v = v128.bitselect(special, v128.bitselect(sub, o, i32x4.eq(exp, zero)), i32x4.eq(exp, expMask));
  return v128.or(v, i32x4.shl(v128.and(h, signBit), 16));
}

// @ts-ignore: decorator
@inline
function floatOf(h: u32): u32 {
  const m = (h & 0x7fff) << 13;
  const exp = m & 0x0f800000;
  let o = m + 0x38000000;
  if (exp == 0x0f800000) o += 0x38000000;
  else if (exp == 0) o = reinterpret<u32>(reinterpret<f32>(o + 0x00800000) - reinterpret<f32>(0x38800000));
  return o | ((h & 0x8000) << 16);
}
