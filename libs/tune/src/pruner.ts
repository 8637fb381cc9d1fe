import type { Direction, TrialRecord } from './trial-record.js';

/** What a pruner sees when a trial reports an intermediate value. */
export interface PruneContext {
  /** The reporting trial; its `intermediate` already holds `step`. */
  trial: TrialRecord;
  step: number;
  /** Every trial of the study (the reporting one included). */
  trials: readonly TrialRecord[];
  direction: Direction;
}

/** Decides, at each reported intermediate value, whether a trial should stop early. */
export interface Pruner {
  readonly name: string;
  shouldPrune(context: PruneContext): boolean;
}
