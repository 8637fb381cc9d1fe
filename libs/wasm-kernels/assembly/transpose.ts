// Permuted copies whose innermost output axis is contiguous in the input too (attention's head
// transposes [b, T, H, dh] <-> [b, H, T, dh]): runs of `run` 4-byte elements copied with v128 loads,
// the outer axes walked here rather than in JS (one call per tensor, no per-row work in JS).

/**
 * dst (contiguous) = for i0 < n0, i1 < n1, i2 < n2: the `run` elements at
 * src + (i0 s0 + i1 s1 + i2 s2) elements. Elements are 4 bytes (float32 or int32).
 */
export function copyRuns(src: usize, dst: usize, n0: i32, n1: i32, n2: i32, s0: i32, s1: i32, s2: i32, run: i32): void {
  const r4 = run & ~3;
  let o = dst;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      let s = src + (<usize>(i0 * s0 + i1 * s1) << 2);
      const step = <usize>s2 << 2;
      for (let i2 = 0; i2 < n2; i2++) {
        let j = 0;
        for (; j < r4; j += 4) v128.store(o + (<usize>j << 2), v128.load(s + (<usize>j << 2)));
        for (; j < run; j++) store<u32>(o + (<usize>j << 2), load<u32>(s + (<usize>j << 2)));
        o += <usize>run << 2;
        s += step;
      }
    }
  }
}
