// The gradient of 2x2 / stride-2 max pooling (NHWC, windows inside the input) in WebAssembly SIMD:
// each dy goes to the first element of its window (row-major) equal to the pooled maximum y, the
// cpu backend's rule (ties to the first, a NaN maximum passes nothing). Windows do not overlap, so
// every element of a window is written once: dy where chosen, else 0 (4 channels per step).

/** dx [n, h, w, c] (window elements; rows / columns outside every window are left as they are). */
export function maxPoolGrad2x2(
  x: usize, y: usize, dy: usize, dx: usize,
  batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
): void {
  const rowB = <usize>(w * c) << 2;
  const cB = <usize>c << 2;
  const c4 = c & ~3;
  let yi: usize = 0; // byte offset of the current pooled output
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o0 = (<usize>((b * h + 2 * oy) * w + 2 * ox) * c) << 2;
        const o1 = o0 + cB;
        const o2 = o0 + rowB;
        const o3 = o2 + cB;
        let ch = 0;
        for (; ch < c4; ch += 4) {
          const cc = <usize>ch << 2;
          const m = v128.load(y + yi + cc);
          const g = v128.load(dy + yi + cc);
          const e0 = f32x4.eq(v128.load(x + o0 + cc), m);
          const q1 = f32x4.eq(v128.load(x + o1 + cc), m);
          const q2 = f32x4.eq(v128.load(x + o2 + cc), m);
          const q3 = f32x4.eq(v128.load(x + o3 + cc), m);
          const e1 = v128.andnot(q1, e0);
          const t1 = v128.or(e0, q1);
          const e2 = v128.andnot(q2, t1);
          const e3 = v128.andnot(q3, v128.or(t1, q2));
          v128.store(dx + o0 + cc, v128.and(g, e0));
          v128.store(dx + o1 + cc, v128.and(g, e1));
          v128.store(dx + o2 + cc, v128.and(g, e2));
          v128.store(dx + o3 + cc, v128.and(g, e3));
        }
        for (; ch < c; ch++) {
          const cc = <usize>ch << 2;
          const m = load<f32>(y + yi + cc);
          const g = load<f32>(dy + yi + cc);
          let r0: f32 = 0, r1: f32 = 0, r2: f32 = 0, r3: f32 = 0;
          if (load<f32>(x + o0 + cc) == m) r0 = g;
          else if (load<f32>(x + o1 + cc) == m) r1 = g;
          else if (load<f32>(x + o2 + cc) == m) r2 = g;
          else if (load<f32>(x + o3 + cc) == m) r3 = g;
          store<f32>(dx + o0 + cc, r0);
          store<f32>(dx + o1 + cc, r1);
          store<f32>(dx + o2 + cc, r2);
          store<f32>(dx + o3 + cc, r3);
        }
        yi += cB;
      }
    }
  }
}

/** The same for 1x2 / stride [1, 2] windows (a pooled 1D sequence as [n, 1, w, c]). */
export function maxPoolGrad1x2(
  x: usize, y: usize, dy: usize, dx: usize,
  batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
): void {
  const cB = <usize>c << 2;
  const c4 = c & ~3;
  let yi: usize = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o0 = (<usize>((b * h + oy) * w + 2 * ox) * c) << 2;
        const o1 = o0 + cB;
        let ch = 0;
        for (; ch < c4; ch += 4) {
          const cc = <usize>ch << 2;
          const m = v128.load(y + yi + cc);
          const g = v128.load(dy + yi + cc);
          const e0 = f32x4.eq(v128.load(x + o0 + cc), m);
          const e1 = v128.andnot(f32x4.eq(v128.load(x + o1 + cc), m), e0);
          v128.store(dx + o0 + cc, v128.and(g, e0));
          v128.store(dx + o1 + cc, v128.and(g, e1));
        }
        for (; ch < c; ch++) {
          const cc = <usize>ch << 2;
          const m = load<f32>(y + yi + cc);
          const g = load<f32>(dy + yi + cc);
          let r0: f32 = 0, r1: f32 = 0;
          if (load<f32>(x + o0 + cc) == m) r0 = g;
          else if (load<f32>(x + o1 + cc) == m) r1 = g;
          store<f32>(dx + o0 + cc, r0);
          store<f32>(dx + o1 + cc, r1);
        }
        yi += cB;
      }
    }
  }
}
