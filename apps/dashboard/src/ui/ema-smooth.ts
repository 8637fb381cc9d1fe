/**
 * TensorBoard's scalar smoothing: a debiased exponential moving average with weight `weight`
 * (0 = raw, 0.99 = very smooth). Nulls and non-finite values are passed through and do not move the
 * average, so a gap or a diverged step stays visible.
 *
 * @example emaSmooth([1, 2, 3], 0.6); // [1, 1.625, 2.3...]
 */
export function emaSmooth(values: ReadonlyArray<number | null>, weight: number): Array<number | null> {
  if (weight <= 0) return [...values];
  let last = 0;
  let n = 0;
  return Array.from(values, (v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n += 1;
    return last / (1 - weight ** n);
  });
}
