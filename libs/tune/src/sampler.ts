import type { Params, SearchSpace } from './search-space.js';
import type { Direction, TrialRecord } from './trial-record.js';

/** What a sampler sees when asked for the next point. */
export interface SampleContext {
  space: SearchSpace;
  /** Every trial so far (finished and running), in sampling order. */
  trials: readonly TrialRecord[];
  direction: Direction;
}

/**
 * Proposes points of a search space. `sample` returns undefined when the sampler has nothing
 * left to propose (a finished grid); the study then stops early.
 */
export interface Sampler {
  readonly name: string;
  sample(context: SampleContext): Params | undefined;
}
