// The register block of the implicit-GEMM convolutions (assembly/conv2d.ts, assembly/winograd-conv.ts):
// out[p, 0..8) = sum over filter rows r < k of a[p] [offs[r]] * panel[r, 0..8), for 4 positions (tile4) or
// one (tile1); 8 f32x4 accumulators, one i32 offset load and one `load32_splat` per position and row.
// In a subfolder so that tools/build-wasm.mjs does not build it as a module of its own.

// @ts-ignore: decorator
@inline export function tile4(x0: usize, x1: usize, x2: usize, x3: usize, offs: usize, panel: usize, k: i32, o: usize, or: usize): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  let wp = panel;
  for (let p = 0; p < k; p++) {
    const off = <usize>load<i32>(offs + (<usize>p << 2)) << 2;
    const d0 = v128.load(wp);
    const d1 = v128.load(wp, 16);
    const a0 = v128.load32_splat(x0 + off);
    s00 = f32x4.add(s00, f32x4.mul(a0, d0));
    s01 = f32x4.add(s01, f32x4.mul(a0, d1));
    const a1 = v128.load32_splat(x1 + off);
    s10 = f32x4.add(s10, f32x4.mul(a1, d0));
    s11 = f32x4.add(s11, f32x4.mul(a1, d1));
    const a2 = v128.load32_splat(x2 + off);
    s20 = f32x4.add(s20, f32x4.mul(a2, d0));
    s21 = f32x4.add(s21, f32x4.mul(a2, d1));
    const a3 = v128.load32_splat(x3 + off);
    s30 = f32x4.add(s30, f32x4.mul(a3, d0));
    s31 = f32x4.add(s31, f32x4.mul(a3, d1));
    wp += 32;
  }
  const o1 = o + or, o2 = o1 + or, o3 = o2 + or;
  v128.store(o, s00); v128.store(o, s01, 16); v128.store(o1, s10); v128.store(o1, s11, 16);
  v128.store(o2, s20); v128.store(o2, s21, 16); v128.store(o3, s30); v128.store(o3, s31, 16);
}

// @ts-ignore: decorator
@inline export function tile1(x0: usize, offs: usize, panel: usize, k: i32, o: usize): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  let wp = panel;
  for (let p = 0; p < k; p++) {
    const a0 = v128.load32_splat(x0 + (<usize>load<i32>(offs + (<usize>p << 2)) << 2));
    s0 = f32x4.add(s0, f32x4.mul(a0, v128.load(wp)));
    s1 = f32x4.add(s1, f32x4.mul(a0, v128.load(wp, 16)));
    wp += 32;
  }
  v128.store(o, s0); v128.store(o, s1, 16);
}
