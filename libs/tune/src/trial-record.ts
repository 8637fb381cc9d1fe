import type { Params } from './search-space.js';

/** The life of a trial, as in the `trial` telemetry event. */
export type TrialState = 'started' | 'running' | 'completed' | 'pruned' | 'failed';

/** Whether smaller (`min`) or larger (`max`) objective values are better. */
export type Direction = 'min' | 'max';

/** Everything recorded about one trial. */
export interface TrialRecord {
  /** `t0000`, `t0001`, ... */
  id: string;
  /** 0-based order in which the trial was sampled. */
  number: number;
  params: Params;
  state: TrialState;
  /** The final objective (completed) or the last reported value (pruned). */
  value?: number;
  /** Intermediate values reported by the objective, by step (epoch). */
  intermediate: Map<number, number>;
  /** The run folder holding the trial's own training events, if any. */
  runId?: string;
  error?: string;
  /** Wall time, seconds. */
  seconds?: number;
}

/**
 * Whether `a` is strictly better than `b` in `direction`.
 *
 * @example
 * isBetter(0.9, 0.8, 'max'); // true
 */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'max' ? a > b : a < b;
}
