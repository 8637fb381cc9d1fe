import type { SparsitySchedule } from './prune-config.js';

/**
 * TF-MOT's polynomial-decay sparsity at optimizer step `step`:
 * `s(t) = s_f + (s_i - s_f) * (1 - (t - t0) / (t1 - t0))^power` for `t0 <= t < t1`, `s_f` from `t1`
 * on, 0 before `t0` (pruning has not started); `endStep <= beginStep` means `s_f` from `beginStep`.
 *
 * @param schedule The schedule (initialSparsity, beginStep, endStep, power).
 * @param finalSparsity The target sparsity `s_f`.
 * @param step The optimizer step.
 * @returns The sparsity to hold at that step.
 *
 * @example
 * polynomialDecaySparsity({ initialSparsity: 0, beginStep: 0, endStep: 100, power: 3, frequency: 1 }, 0.8, 50); // 0.7
 */
export function polynomialDecaySparsity(schedule: SparsitySchedule, finalSparsity: number, step: number): number {
  const { initialSparsity: si, beginStep: t0, endStep: t1, power } = schedule;
  if (step < t0) return 0;
  if (t1 <= t0 || step >= t1) return finalSparsity;
  return finalSparsity + (si - finalSparsity) * (1 - (step - t0) / (t1 - t0)) ** power;
}
