import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { channelStats } from './channel-stats.js';
import type { FeatureTransform } from './feature-transform.js';
import { noData, rowCount } from './feature-matrix.js';

const MinMaxConfigSchema = z
  .object({
    kind: z.literal('min-max'),
    min: z.array(z.number()).min(1),
    max: z.array(z.number()).min(1),
    range: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, { message: 'range must be [lo, hi] with lo < hi' }),
    clip: z.boolean(),
  })
  .refine((c) => c.min.length === c.max.length && c.min.every((m, i) => m <= c.max[i]!), {
    message: 'min and max must have the same length and min <= max',
  });

/** The saved form of a {@link MinMaxScaler}. */
export type MinMaxConfig = z.output<typeof MinMaxConfigSchema>;

/** Options of {@link MinMaxScaler.fit}. */
export interface MinMaxOptions {
  /** The target interval `[lo, hi]`. Default `[0, 1]`. */
  range?: [number, number];
  /** Clamp evaluation values that fall outside the training min/max into `range`. Default false. */
  clip?: boolean;
}

/**
 * Maps each channel's training `[min, max]` linearly onto `range` (default `[0, 1]`); a constant
 * channel maps to `lo`. Unseen values outside the training range map outside `range` unless `clip`.
 *
 * @example
 * const scaler = MinMaxScaler.fit(trainX, 4, { range: [-1, 1] }); // training split only
 * scaler.transform(evalX);
 */
export class MinMaxScaler implements FeatureTransform {
  readonly kind = 'min-max';
  readonly #config: MinMaxConfig;

  /** @param config Per-channel min and max, target range and clipping (as {@link MinMaxScaler.getConfig} gives). */
  constructor(config: Omit<MinMaxConfig, 'kind'>) {
    this.#config = loadConfigObject({ ...config, kind: 'min-max' }, MinMaxConfigSchema, { source: 'data.MinMaxScaler' });
  }

  /**
   * Fits per-channel min and max.
   *
   * @param train The training split only, `[..., channels]`, whole or in chunks.
   * @param channels Length of the last axis.
   * @param options Target range (default `[0, 1]`) and clipping (default false).
   */
  static fit(train: Float32Array | Iterable<Float32Array>, channels: number, options: MinMaxOptions = {}): MinMaxScaler {
    const s = channelStats(train, channels);
    if (s.count === 0) throw noData('MinMaxScaler.fit');
    return new MinMaxScaler({ min: [...s.min], max: [...s.max], range: options.range ?? [0, 1], clip: options.clip ?? false });
  }

  /** Rebuilds a scaler from {@link MinMaxScaler.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): MinMaxScaler {
    return new MinMaxScaler(loadConfigObject(config, MinMaxConfigSchema, { source: 'MinMaxScaler.fromConfig' }));
  }

  get inputWidth(): number {
    return this.#config.min.length;
  }

  transform(x: Float32Array): Float32Array {
    rowCount(x.length, this.inputWidth, 'MinMaxScaler.transform');
    const { min, max, range, clip } = this.#config;
    const [lo, hi] = range;
    const scale = min.map((m, c) => (max[c]! > m ? (hi - lo) / (max[c]! - m) : 1));
    const out = new Float32Array(x.length);
    const w = this.inputWidth;
    for (let i = 0; i < x.length; i++) {
      const y = lo + (x[i]! - min[i % w]!) * scale[i % w]!;
      out[i] = clip ? Math.min(hi, Math.max(lo, y)) : y;
    }
    return out;
  }

  getConfig(): MinMaxConfig {
    const { min, max, range, clip } = this.#config;
    return { kind: 'min-max', min: [...min], max: [...max], range: [range[0], range[1]], clip };
  }
}
