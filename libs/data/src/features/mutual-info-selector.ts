import { z } from 'zod';
import { ConfigError, DataError, loadConfigObject } from '@omnitrain/core';
import { ColumnSelector } from './column-selector.js';
import { noData, rowCount } from './feature-matrix.js';
import { equalWidthBins, mutualInformation } from './mutual-information.js';

const MutualInfoConfigSchema = z.object({
  kind: z.literal('mutual-info'),
  features: z.int().positive(),
  bins: z.int().min(2),
  scores: z.array(z.number().min(0)),
  selected: z.array(z.int().min(0)).min(1),
}).refine((c) => c.selected.every((j) => j < c.features), {
  message: 'selected feature indices must be below features',
});

/** The saved form of a {@link MutualInfoSelector}. */
export type MutualInfoConfig = z.output<typeof MutualInfoConfigSchema>;

/** Options of {@link MutualInfoSelector.fit}. */
export interface MutualInfoOptions {
  /** How many features to keep. */
  k: number;
  /** Equal-width bins each feature is cut into over its training range. Default 10. */
  bins?: number;
}

/**
 * Keeps the `k` vector features sharing the most information with the class label: each feature
 * is cut into equal-width bins over its training range and scored by the discrete mutual
 * information (nats) between its bin and the label. Ties go to the lower index; kept features
 * stay in input order.
 *
 * @example
 * const select = MutualInfoSelector.fit(trainX, trainY, 64, { k: 16 }); // training split only
 * select.scores; // MI per feature
 * select.transform(evalX); // [rows, 16]
 */
export class MutualInfoSelector extends ColumnSelector<MutualInfoConfig> {
  /**
   * Scores every feature on the training rows and keeps the best `k`.
   *
   * @param train Training features only, `[rows, features]`.
   * @param labels The class id of each training row.
   * @param features Features per row.
   * @param options `k` (required) and `bins` (default 10).
   * @throws DataError when rows and labels disagree or there are no rows; ConfigError on a bad k or bins.
   */
  static fit(train: Float32Array, labels: ArrayLike<number>, features: number, options: MutualInfoOptions): MutualInfoSelector {
    const rows = rowCount(train.length, features, 'MutualInfoSelector.fit');
    const { k, bins = 10 } = options;
    if (!Number.isInteger(k) || k < 1 || k > features || !Number.isInteger(bins) || bins < 2) {
      throw new ConfigError({ op: 'MutualInfoSelector.fit', expected: `1 <= k <= ${features} and bins >= 2`, received: `k=${k}, bins=${bins}` });
    }
    if (labels.length !== rows) {
      throw new DataError({ op: 'MutualInfoSelector.fit', expected: `${rows} labels, one per row`, received: `${labels.length}` });
    }
    if (rows === 0) throw noData('MutualInfoSelector.fit');
    const column = new Float32Array(rows);
    const scores = Array.from({ length: features }, (_, j) => {
      for (let r = 0; r < rows; r++) column[r] = train[r * features + j]!;
      return mutualInformation(equalWidthBins(column, bins), labels);
    });
    const ranked = scores.map((s, j) => [s, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const selected = ranked.slice(0, k).map(([, j]) => j).sort((a, b) => a - b);
    return new MutualInfoSelector({ kind: 'mutual-info', features, bins, scores, selected });
  }

  /** Rebuilds a selector from {@link MutualInfoSelector.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): MutualInfoSelector {
    return new MutualInfoSelector(loadConfigObject(config, MutualInfoConfigSchema, { source: 'MutualInfoSelector.fromConfig' }));
  }

  /** Mutual information of each feature with the label on the training rows, in nats. */
  get scores(): readonly number[] {
    return this.config.scores;
  }
}
