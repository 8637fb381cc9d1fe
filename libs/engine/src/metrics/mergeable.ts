import type { Strategy } from '../strategy/strategy.js';

/**
 * A metric whose whole state is a vector of counts that add up across ranks (sums, sample counts,
 * confusion-matrix cells), so the metric of the global data is the metric of the summed counts.
 */
export interface Mergeable {
  /** The state as numbers that are summed across ranks. */
  counts(): number[];
  /** Replaces the state with `counts` (e.g. the sum over ranks). */
  setCounts(counts: readonly number[]): void;
}

/**
 * Sums the counts of `metrics` over every rank in ONE `reduceNumbers` call and stores the sums back,
 * so each metric afterwards describes the data of all ranks.
 *
 * @param strategy The run's strategy.
 * @param metrics The metrics to reduce, in the same order on every rank.
 *
 * @example
 * await reduceMetrics(strategy, [lossMean, confusion]);
 * confusion.accuracy(); // over all ranks
 */
export async function reduceMetrics(strategy: Strategy, metrics: readonly Mergeable[]): Promise<void> {
  const parts = metrics.map((m) => m.counts());
  const summed = await strategy.reduceNumbers(parts.flat(), 'sum');
  let at = 0;
  for (const [i, m] of metrics.entries()) {
    m.setCounts(summed.slice(at, at + parts[i]!.length));
    at += parts[i]!.length;
  }
}
