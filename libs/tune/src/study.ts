import { performance } from 'node:perf_hooks';
import { ConfigError } from '@omnitrain/core';
import type { Pruner } from './pruner.js';
import type { Sampler } from './sampler.js';
import type { Params, SearchSpace } from './search-space.js';
import { isBetter } from './trial-record.js';
import type { Direction, TrialRecord, TrialState } from './trial-record.js';

/** A `trial` telemetry event (libs/telemetry EVENTS.md) without its envelope. */
export interface TrialEventDraft {
  kind: 'trial';
  searchId: string;
  trialId: string;
  state: TrialState;
  params: Params;
  objective?: { name: string; value: number; mode: Direction };
  step?: number;
  trialRunId?: string;
  error?: string;
}

/** What the objective gets besides the params: report intermediate values, ask to stop. */
export interface TrialHandle {
  readonly id: string;
  readonly number: number;
  /**
   * Records an intermediate value at `step` (an epoch) and asks the pruner.
   * @returns true when the trial should stop (then return, or throw {@link TrialPrunedError}).
   */
  report(step: number, value: number): boolean;
  /** Whether the pruner has asked this trial to stop. */
  readonly pruned: boolean;
  /** Names the run folder holding this trial's own events (`trialRunId` in events). */
  setRunId(runId: string): void;
}

/** Thrown by an objective to end a trial as pruned. */
export class TrialPrunedError extends Error {
  constructor(step?: number) {
    super(`trial pruned${step === undefined ? '' : ` at step ${step}`}`);
    this.name = 'TrialPrunedError';
  }
}

/** An objective: trains/evaluates one point and returns its value. */
export type Objective = (params: Params, trial: TrialHandle) => Promise<number>;

/** Options of {@link Study}. */
export interface StudyOptions {
  space: SearchSpace;
  sampler: Sampler;
  /** Default: no pruning. */
  pruner?: Pruner;
  /** Default `min`. */
  direction?: Direction;
  /** The objective's name in events and tables. Default `objective`. */
  metric?: string;
  /** Id of the search (its run folder). Default `study`. */
  searchId?: string;
  /** Where trial events go (e.g. a RunRecorder's emit); awaited in order. */
  onEvent?: (event: TrialEventDraft) => void | Promise<void>;
  /** Trials of an earlier, interrupted search (see trialsFromEvents): finished ones are kept and count. */
  previous?: readonly TrialRecord[];
}

/** Options of {@link Study.optimize}. */
export interface OptimizeOptions {
  /** Total finished trials wanted (previous finished ones included). */
  trials: number;
  /** Trials running at once. Default 1. */
  concurrency?: number;
}

/**
 * A search: samples points, runs the objective on each with at most `concurrency` at once,
 * routes intermediate values to the pruner, records every trial's life as `trial` events
 * (started, running per report, then completed / pruned / failed with the error); a failing
 * objective fails its trial, never the study.
 *
 * @example
 * const study = new Study({ space, sampler: tpeSampler({ seed: 1 }), pruner: successiveHalvingPruner(), direction: 'max', metric: 'val/accuracy' });
 * const { best } = await study.optimize(async (p, trial) => train(p, trial), { trials: 20, concurrency: 2 });
 */
export class Study {
  readonly trials: TrialRecord[] = [];
  readonly direction: Direction;
  readonly metric: string;
  readonly searchId: string;
  #events: Promise<void> = Promise.resolve();

  constructor(readonly options: StudyOptions) {
    this.direction = options.direction ?? 'min';
    this.metric = options.metric ?? 'objective';
    this.searchId = options.searchId ?? 'study';
    for (const t of options.previous ?? []) if (t.state === 'completed' || t.state === 'pruned' || t.state === 'failed') this.trials.push(t);
  }

  /** The best completed trial, if any. */
  get best(): TrialRecord | undefined {
    let best: TrialRecord | undefined;
    for (const t of this.trials) {
      if (t.state !== 'completed' || t.value === undefined || !Number.isFinite(t.value)) continue;
      if (!best || isBetter(t.value, best.value!, this.direction)) best = t;
    }
    return best;
  }

  /**
   * Runs trials until `trials` have finished (or the sampler has nothing left).
   * @returns Every trial, in sampling order, and the best completed one.
   */
  async optimize(objective: Objective, options: OptimizeOptions): Promise<{ trials: TrialRecord[]; best: TrialRecord | undefined }> {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(options.trials) || options.trials < 0) {
      throw new ConfigError({ op: 'Study.optimize', expected: 'trials: an integer >= 0', received: String(options.trials) });
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError({ op: 'Study.optimize', expected: 'concurrency: an integer >= 1', received: String(concurrency) });
    }
    let toStart = Math.max(0, options.trials - this.trials.length);
    let exhausted = false;
    const worker = async () => {
      while (toStart > 0 && !exhausted) {
        const params = this.options.sampler.sample({ space: this.options.space, trials: this.trials, direction: this.direction });
        if (!params) {
          exhausted = true;
          return;
        }
        toStart--;
        await this.#run(objective, params);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await this.#events;
    return { trials: this.trials, best: this.best };
  }

  async #run(objective: Objective, params: Params): Promise<void> {
    const number = this.trials.reduce((n, t) => Math.max(n, t.number + 1), 0);
    const record: TrialRecord = { id: `t${String(number).padStart(4, '0')}`, number, params, state: 'started', intermediate: new Map() };
    this.trials.push(record);
    const started = performance.now();
    let pruned = false;
    let lastStep: number | undefined;
    const handle: TrialHandle = {
      id: record.id,
      number,
      get pruned() {
        return pruned;
      },
      report: (step, value) => {
        record.state = 'running';
        record.intermediate.set(step, value);
        lastStep = step;
        this.#emit(record, { step, value });
        if (!pruned && this.options.pruner?.shouldPrune({ trial: record, step, trials: this.trials, direction: this.direction })) pruned = true;
        return pruned;
      },
      setRunId: (runId) => {
        record.runId = runId;
      },
    };
    this.#emit(record);
    try {
      const value = await objective(params, handle);
      if (pruned) {
        record.state = 'pruned';
        record.value = lastStep === undefined ? value : record.intermediate.get(lastStep);
      } else {
        record.state = 'completed';
        record.value = value;
      }
    } catch (error) {
      if (error instanceof TrialPrunedError || pruned) {
        record.state = 'pruned';
        if (lastStep !== undefined) record.value = record.intermediate.get(lastStep);
      } else {
        record.state = 'failed';
        record.error = error instanceof Error ? error.message : String(error);
      }
    }
    record.seconds = (performance.now() - started) / 1000;
    this.#emit(record, record.value === undefined ? undefined : { step: lastStep, value: record.value });
  }

  #emit(record: TrialRecord, objective?: { step: number | undefined; value: number }): void {
    const event: TrialEventDraft = { kind: 'trial', searchId: this.searchId, trialId: record.id, state: record.state, params: record.params };
    if (objective && Number.isFinite(objective.value)) event.objective = { name: this.metric, value: objective.value, mode: this.direction };
    if (objective?.step !== undefined) event.step = objective.step;
    if (record.runId) event.trialRunId = record.runId;
    if (record.error) event.error = record.error;
    const sink = this.options.onEvent;
    if (sink) this.#events = this.#events.then(() => sink(event)).catch(() => {});
  }
}
