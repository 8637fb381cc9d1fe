import { z } from 'zod';
import { DataError, loadConfigObject } from '@omnitrain/core';
import { channelStats } from './channel-stats.js';
import { ColumnSelector } from './column-selector.js';
import { noData } from './feature-matrix.js';

const VarianceThresholdConfigSchema = z.object({
  kind: z.literal('variance-threshold'),
  features: z.int().positive(),
  threshold: z.number().min(0),
  variances: z.array(z.number().min(0)),
  selected: z.array(z.int().min(0)).min(1),
}).refine((c) => c.selected.every((j) => j < c.features), {
  message: 'selected feature indices must be below features',
});

/** The saved form of a {@link VarianceThreshold}. */
export type VarianceThresholdConfig = z.output<typeof VarianceThresholdConfigSchema>;

/**
 * Drops vector features whose training variance is not above a threshold (the default 0 drops
 * constant features), as scikit-learn's VarianceThreshold. Kept features stay in input order.
 *
 * @example
 * const select = VarianceThreshold.fit(trainX, 20, { threshold: 0.01 });
 * select.transform(evalX); // [rows, select.selected.length]
 */
export class VarianceThreshold extends ColumnSelector<VarianceThresholdConfig> {
  /**
   * Computes each feature's population variance on the training rows and keeps those above `threshold`.
   *
   * @param train The training split only, `[rows, features]`, whole or in chunks.
   * @param features Features per row.
   * @param options `threshold`, default 0.
   * @throws DataError when there is no data or no feature passes.
   */
  static fit(train: Float32Array | Iterable<Float32Array>, features: number, options: { threshold?: number } = {}): VarianceThreshold {
    const threshold = options.threshold ?? 0;
    const s = channelStats(train, features);
    if (s.count === 0) throw noData('VarianceThreshold.fit');
    const variances = [...s.variance];
    const selected = variances.flatMap((v, j) => (v > threshold ? [j] : []));
    if (selected.length === 0) {
      throw new DataError({
        op: 'VarianceThreshold.fit',
        expected: `a feature with variance above ${threshold}`,
        received: `max variance ${Math.max(...variances)}`,
        hint: 'lower the threshold',
      });
    }
    return new VarianceThreshold({ kind: 'variance-threshold', features, threshold, variances, selected });
  }

  /** Rebuilds a selector from {@link VarianceThreshold.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): VarianceThreshold {
    return new VarianceThreshold(loadConfigObject(config, VarianceThresholdConfigSchema, { source: 'VarianceThreshold.fromConfig' }));
  }
}
