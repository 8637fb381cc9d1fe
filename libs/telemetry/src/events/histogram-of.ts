import type { HistogramEvent } from './event-schema.js';

/** The statistics part of a histogram event. */
export type HistogramSummary = Pick<HistogramEvent, 'min' | 'max' | 'num' | 'sum' | 'sumSquares' | 'bucketLimits' | 'buckets'>;

/**
 * Summarizes values (a weight or gradient tensor's data) as a histogram event's fields: `bucketCount`
 * equal-width buckets from the minimum to the maximum, as TensorBoard's histogram plugin draws them.
 * Non-finite values are left out of the buckets and the statistics.
 *
 * @param values The values, e.g. `await tensor.data()`.
 * @param bucketCount Number of buckets. Default 30.
 *
 * @example
 * recorder.emit({ kind: 'histogram', name: 'weights/dense/kernel', step, ...histogramOf(await kernel.data()) });
 */
export function histogramOf(values: ArrayLike<number>, bucketCount = 30): HistogramSummary {
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    num += 1;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimits: [0], buckets: [0] };
  const width = (max - min) / bucketCount;
  if (width === 0) return { min, max, num, sum, sumSquares, bucketLimits: [max], buckets: [num] };
  const buckets = new Array<number>(bucketCount).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) buckets[Math.min(bucketCount - 1, Math.floor((v - min) / width))]! += 1;
  }
  const bucketLimits = buckets.map((_, k) => (k === bucketCount - 1 ? max : min + (k + 1) * width));
  return { min, max, num, sum, sumSquares, bucketLimits, buckets };
}
