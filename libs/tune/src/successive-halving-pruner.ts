import type { PruneContext, Pruner } from './pruner.js';

/** Options of {@link successiveHalvingPruner}. */
export interface SuccessiveHalvingOptions {
  /** Step of the first rung. Default 1. */
  minResource?: number;
  /** eta: rung k sits at step minResource * eta^(k + minEarlyStoppingRate); the top 1/eta are promoted. Default 3. */
  reductionFactor?: number;
  /** Skips the first rungs. Default 0. */
  minEarlyStoppingRate?: number;
}

/**
 * The rung steps at or below `maxStep`: minResource * eta^(k + s), k = 0, 1, ...
 *
 * @example
 * rungSteps(10, { minResource: 1, reductionFactor: 3 }); // [1, 3, 9]
 */
export function rungSteps(maxStep: number, options: SuccessiveHalvingOptions = {}): number[] {
  const r = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const s = options.minEarlyStoppingRate ?? 0;
  const out: number[] = [];
  for (let k = 0; r * eta ** (k + s) <= maxStep; k++) out.push(r * eta ** (k + s));
  return out;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020; as Optuna's SuccessiveHalvingPruner):
 * when a trial reaches a rung step, its value there is ranked against every value recorded at
 * that rung so far (its own included); it continues only when it is among the top
 * floor(n / eta) of them (the single best while fewer than eta reached the rung), else it is
 * pruned. Steps between rungs never prune.
 *
 * @example
 * const pruner = successiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
 */
export function successiveHalvingPruner(options: SuccessiveHalvingOptions = {}): Pruner {
  const eta = options.reductionFactor ?? 3;
  return {
    name: 'asha',
    shouldPrune({ trial, step, trials, direction }: PruneContext): boolean {
      if (!rungSteps(step, options).includes(step)) return false;
      const value = trial.intermediate.get(step)!;
      const competing = trials.map((t) => t.intermediate.get(step)).filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (!Number.isFinite(value)) return true;
      competing.sort((a, b) => (direction === 'max' ? b - a : a - b));
      const idx = Math.max(0, Math.floor(competing.length / eta) - 1);
      const threshold = competing[idx]!;
      return direction === 'max' ? value < threshold : value > threshold;
    },
  };
}
