import { rowCount } from './feature-matrix.js';

/** Per-channel statistics of a dataset, accumulated in float64. */
export interface ChannelStats {
  /** Values seen per channel. */
  count: number;
  mean: Float64Array;
  /** Population variance (divided by count, as scikit-learn's StandardScaler). */
  variance: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/**
 * Mean, population variance, min and max of each channel (the last axis) over one array or over
 * chunks of a dataset too large to hold at once (merged exactly with Chan et al.'s formula).
 *
 * @param data One row-major array, or chunks of them, laid out `[..., channels]`.
 * @param channels Length of the last axis (features of a vector, colour channels of an image).
 * @example channelStats(Float32Array.of(1, 10, 3, 30), 2).mean // Float64Array [2, 20]
 */
export function channelStats(data: Float32Array | Iterable<Float32Array>, channels: number): ChannelStats {
  const total: ChannelStats = {
    count: 0,
    mean: new Float64Array(channels),
    variance: new Float64Array(channels),
    min: new Float64Array(channels).fill(Infinity),
    max: new Float64Array(channels).fill(-Infinity),
  };
  const m2 = new Float64Array(channels);
  for (const chunk of data instanceof Float32Array ? [data] : data) {
    const n = rowCount(chunk.length, channels, 'data.channelStats');
    if (n === 0) continue;
    const cm = chunkMeans(chunk, channels, n);
    const all = total.count + n;
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let i = c; i < chunk.length; i += channels) {
        const v = chunk[i]!;
        s += (v - cm[c]!) ** 2;
        if (v < total.min[c]!) total.min[c] = v;
        if (v > total.max[c]!) total.max[c] = v;
      }
      const delta = cm[c]! - total.mean[c]!;
      m2[c] = m2[c]! + s + (delta * delta * total.count * n) / all;
      total.mean[c] = total.mean[c]! + (delta * n) / all;
    }
    total.count = all;
  }
  for (let c = 0; c < channels; c++) total.variance[c] = total.count ? m2[c]! / total.count : NaN;
  if (total.count === 0) total.mean.fill(NaN);
  return total;
}

function chunkMeans(chunk: Float32Array, channels: number, rows: number): Float64Array {
  const sum = new Float64Array(channels);
  for (let i = 0; i < chunk.length; i++) sum[i % channels] = sum[i % channels]! + chunk[i]!;
  return sum.map((s) => s / rows);
}
