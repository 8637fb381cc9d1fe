/** A series as two parallel arrays (x = step, y = value). */
export interface XYSeries {
  /** Steps, non-decreasing. */
  steps: ArrayLike<number>;
  /** Values (NaN for a missing or diverged value). */
  values: ArrayLike<number>;
}

/** A downsampled series: the chosen points, in step order. */
export interface DownsampledSeries {
  steps: number[];
  values: number[];
}

/**
 * Min/max-preserving downsampling (M4): splits `[start, end)` of the series into equal step ranges
 * and keeps, of each range, its first, lowest, highest and last point (each once, in step order). A
 * zoomed-out chart drawn from it shows every spike and dip the full series has, with at most
 * `maxPoints` points. A range with at most `maxPoints` points is returned as is.
 *
 * @param series Steps (non-decreasing) and values.
 * @param maxPoints Most points to return (at least 4).
 * @param start First index (default 0).
 * @param end One past the last index (default the length).
 * @example
 * const view = downsampleMinMax({ steps, values }, 1200); // <= 1200 points, min and max kept
 */
export function downsampleMinMax(series: XYSeries, maxPoints: number, start = 0, end = series.steps.length): DownsampledSeries {
  const { steps, values } = series;
  const out: DownsampledSeries = { steps: [], values: [] };
  const push = (i: number): void => {
    out.steps.push(steps[i]!);
    out.values.push(values[i]!);
  };
  if (end - start <= maxPoints) {
    for (let i = start; i < end; i++) push(i);
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const x0 = steps[start]!;
  const span = steps[end - 1]! - x0 + 1;
  let i = start;
  for (let b = 0; b < buckets && i < end; b++) {
    const limit = b === buckets - 1 ? Infinity : x0 + (span * (b + 1)) / buckets;
    const first = i;
    let lo = -1;
    let hi = -1;
    for (; i < end && steps[i]! < limit; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (i === first) continue;
    const last = i - 1;
    const keep = [first, lo, hi, last].filter((k) => k >= 0).sort((a, b2) => a - b2);
    let previous = -1;
    for (const k of keep) {
      if (k !== previous) push(k);
      previous = k;
    }
  }
  return out;
}
