// Element-wise reductions of float32 arrays for the ring all-reduce (src/collective/simd-reducer.ts):
// dst[i] = dst[i] (op) src[i] for i < n, dst and src byte offsets into the caller's memory (16-byte
// aligned for speed, any alignment works). Same results as the JavaScript loops of reduceInto:
// f32 add is IEEE single addition; pmax/pmin are `dst < src ? src : dst` / `src < dst ? src : dst`,
// the same comparisons (a NaN in src is ignored, a NaN in dst stays).

export function sumInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  const n16 = n & ~15;
  for (; i < n16; i += 16) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    v128.store(dst + o + 16, f32x4.add(v128.load(dst + o + 16), v128.load(src + o + 16)));
    v128.store(dst + o + 32, f32x4.add(v128.load(dst + o + 32), v128.load(src + o + 32)));
    v128.store(dst + o + 48, f32x4.add(v128.load(dst + o + 48), v128.load(src + o + 48)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

export function maxInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.pmax(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const d = load<f32>(dst + o);
    const s = load<f32>(src + o);
    if (s > d) store<f32>(dst + o, s);
  }
}

export function minInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.pmin(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const d = load<f32>(dst + o);
    const s = load<f32>(src + o);
    if (s < d) store<f32>(dst + o, s);
  }
}
