import { DataError } from '@omnitrain/core';

/**
 * Mutual information, in nats, between two discrete variables given as paired codes:
 * `sum over (a, b) of p(a, b) * ln(p(a, b) / (p(a) p(b)))` with probabilities from counts.
 *
 * @param x Codes of the first variable (e.g. a feature's bin per row).
 * @param y Codes of the second (e.g. the class per row), same length.
 * @example mutualInformation([0, 0, 1, 1], [0, 0, 1, 1]) // Math.LN2
 */
export function mutualInformation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) {
    throw new DataError({ op: 'data.mutualInformation', expected: `${n} codes of y, one per x`, received: `${y.length}` });
  }
  const joint = new Map<string, number>();
  const px = new Map<number, number>();
  const py = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${x[i]},${y[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    px.set(x[i]!, (px.get(x[i]!) ?? 0) + 1);
    py.set(y[i]!, (py.get(y[i]!) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const [a, b] = key.split(',').map(Number) as [number, number];
    mi += (c / n) * Math.log((c * n) / (px.get(a)! * py.get(b)!));
  }
  return Math.max(0, mi);
}

/**
 * Codes of equal-width bins over `[min, max]` (values outside go to the end bins); a constant
 * column is all bin 0.
 *
 * @param values The values.
 * @param bins Number of bins.
 * @param min Lower edge of the first bin. Default: the smallest value.
 * @param max Upper edge of the last bin. Default: the largest value.
 * @example equalWidthBins([0, 0.5, 1], 2) // Int32Array [0, 1, 1]
 */
export function equalWidthBins(values: ArrayLike<number>, bins: number, min?: number, max?: number): Int32Array {
  let lo = min ?? Infinity;
  let hi = max ?? -Infinity;
  if (min === undefined || max === undefined) {
    for (let i = 0; i < values.length; i++) {
      if (min === undefined) lo = Math.min(lo, values[i]!);
      if (max === undefined) hi = Math.max(hi, values[i]!);
    }
  }
  const codes = new Int32Array(values.length);
  if (!(hi > lo)) return codes;
  for (let i = 0; i < values.length; i++) {
    codes[i] = Math.min(bins - 1, Math.max(0, Math.floor(((values[i]! - lo) / (hi - lo)) * bins)));
  }
  return codes;
}
