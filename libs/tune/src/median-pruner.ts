import type { PruneContext, Pruner } from './pruner.js';

/** Options of {@link medianPruner}. */
export interface MedianPrunerOptions {
  /** No pruning until this many trials completed. Default 5. */
  startupTrials?: number;
  /** No pruning at steps below this one. Default 0. */
  warmupSteps?: number;
}

/**
 * Median stopping rule (Golovin et al. 2017; as Optuna's MedianPruner): at a step, a trial is
 * pruned when its value is worse than the median of the completed trials' values at that step.
 *
 * @example
 * const pruner = medianPruner({ startupTrials: 3, warmupSteps: 1 });
 */
export function medianPruner(options: MedianPrunerOptions = {}): Pruner {
  const startup = options.startupTrials ?? 5;
  const warmup = options.warmupSteps ?? 0;
  return {
    name: 'median',
    shouldPrune({ trial, step, trials, direction }: PruneContext): boolean {
      if (step < warmup) return false;
      const done = trials.filter((t) => t.state === 'completed' && t !== trial);
      if (done.length < startup) return false;
      const values = done.map((t) => t.intermediate.get(step)).filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (values.length === 0) return false;
      values.sort((a, b) => a - b);
      const m = values.length;
      const median = m % 2 ? values[(m - 1) / 2]! : (values[m / 2 - 1]! + values[m / 2]!) / 2;
      const value = trial.intermediate.get(step)!;
      if (!Number.isFinite(value)) return true;
      return direction === 'max' ? value < median : value > median;
    },
  };
}
