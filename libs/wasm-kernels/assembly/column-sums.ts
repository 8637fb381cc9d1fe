// Column sums of a row-major [rows, cols] float32 matrix (a bias gradient: dy summed over batch and
// positions), accumulated in float64 (f64x2) so long sums stay as exact as the cpu backend's.

/** out [cols] (float32) = sum over rows of x [rows, cols]; `acc` is scratch for cols float64s. */
export function columnSums(x: usize, out: usize, acc: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let c = 0; c < cols; c++) store<f64>(acc + (<usize>c << 3), 0);
  let row = x;
  for (let r = 0; r < rows; r++) {
    let c = 0;
    for (; c < c4; c += 4) {
      const v = v128.load(row + (<usize>c << 2));
      const at = acc + (<usize>c << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v)));
      v128.store(at, f64x2.add(v128.load(at, 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))), 16);
    }
    for (; c < cols; c++) {
      const at = acc + (<usize>c << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(row + (<usize>c << 2)));
    }
    row += <usize>cols << 2;
  }
  const c2 = cols & ~1;
  let c = 0;
  for (; c < c2; c += 2) {
    v128.store64_lane(out + (<usize>c << 2), f32x4.demote_f64x2_zero(v128.load(acc + (<usize>c << 3))), 0);
  }
  for (; c < cols; c++) store<f32>(out + (<usize>c << 2), <f32>load<f64>(acc + (<usize>c << 3)));
}
