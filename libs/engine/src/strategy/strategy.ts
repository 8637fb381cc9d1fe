import type * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients, Optimizer } from '@omnitrain/optim';
import type { CheckpointState } from '../checkpoint/checkpoint-state.js';

/** What a strategy may touch: the model's variables by checkpoint name and the optimizer. */
export interface StrategyContext {
  /** Every variable of the model by checkpoint name (trainable or frozen), identical order on every rank. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** The optimizer that applies the reduced gradients (its state is broadcast at setup). */
  readonly optimizer: Optimizer;
}

/** What {@link Strategy.reduceGradients} needs besides the gradients. */
export interface ReduceInfo {
  /** The optimizer step these gradients are for (0-based, global). */
  readonly step: number;
  /** This rank's share of the global batch (`RankBatch.weight`); the shares of all ranks sum to 1. */
  readonly weight: number;
}

/**
 * What {@link Strategy.regroup} gets from the Trainer: why the group re-forms, how far this rank's
 * weights are, and its full state at its last commit (a step boundary).
 */
export interface RegroupRequest {
  /**
   * `start`: the first setup of an elastic worker (also a worker joining a running job);
   * `failure`: a collective call failed (a rank died or froze), `error` says which;
   * `join`: the last step agreed that workers wait to join (`regroupPending`).
   */
  readonly reason: 'start' | 'failure' | 'join';
  /** The error that broke the group (`failure` only). */
  readonly error?: unknown;
  /** Optimizer steps whose update this rank's variables hold (the commit's `step`). */
  readonly appliedSteps: number;
  /** The variables and optimizer (what `setup` gets). */
  readonly context: StrategyContext;
  /**
   * This rank's full state at its last commit (weights and optimizer as they are, counters and
   * data position of the step boundary they belong to). Called only on the rank the new group copies
   * from; the caller of `state` disposes what it returns (`disposeCheckpoint`).
   */
  state(): CheckpointState;
}

/** How a scalar reduction combines ranks. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';

/**
 * How the Trainer uses the other replicas. The single-process strategy does nothing; the
 * data-parallel one (libs/distributed) averages gradients over a Collective. The Trainer calls, per run:
 * `setup` once, then per step `reduceGradients` -> optimizer step -> `afterStep`, `reduceNumbers` for
 * metrics, `barrier` around checkpoints and epochs, and `teardown` at the end (also after an error).
 * A strategy with `reduceStep` gets one exchange per optimizer step instead: `reduceStep` (gradients
 * pre-weighted by the Trainer, the step's metric counts in the same call) -> optimizer step -> `afterStep`.
 *
 * @example
 * const strategy = singleProcessStrategy();
 * await strategy.setup({ variables: model.variables, optimizer });
 * const reduced = await strategy.reduceGradients(grads, { step, weight: batch.weight }); // takes ownership of grads
 */
export interface Strategy {
  /** Registered name: `single`, `data-parallel`. */
  readonly name: string;
  /** This replica's rank, 0-based. */
  readonly rank: number;
  /** Number of replicas. */
  readonly worldSize: number;
  /** True on the replica that writes checkpoints, logs and telemetry for the job (rank 0). */
  readonly isChief: boolean;
  /**
   * Makes every replica start equal: rank 0's variables and optimizer state are copied to all ranks.
   * Called once, after any checkpoint was loaded on rank 0 (or on every rank) and before the first step.
   */
  setup(ctx: StrategyContext): Promise<void>;
  /**
   * Averages gradients over the replicas: the sum over ranks of `info.weight` x that rank's mean-loss
   * gradient (ranks may hold unequal parts of a global batch). Takes ownership of
   * `grads` (disposes them unless it returns them) and returns tensors the caller disposes.
   * Every rank must call it with the same names and shapes, in the same step order.
   * A strategy that shards the optimizer update (ZeRO-1) returns only the gradients of the variables
   * this rank updates (the optimizer leaves the others alone) and completes the step in `afterStep`
   * (every rank then holds the same, fully updated variables).
   */
  reduceGradients(grads: NamedGradients, info: ReduceInfo): Promise<NamedGradients>;
  /**
   * Optional: one exchange per step. `weightedGrads` are this rank's gradients already multiplied by
   * `info.weight` (the Trainer scales the loss before differentiating, which costs nothing); they are
   * summed over the ranks exactly as {@link Strategy.reduceGradients} would, and `numbers` (the step's
   * `[lossSum, correct, count]`) are summed element-wise in the same collective call (integers exactly,
   * other values to about 1e-9). Resolves with the summed gradients (the caller disposes them) and the summed numbers.
   * Takes ownership of `weightedGrads`. Without it the Trainer calls `reduceGradients` and
   * `reduceNumbers(numbers, 'sum')`.
   *
   * @example
   * const { grads, numbers: [lossSum, correct, count] } = await strategy.reduceStep!(weighted, [lossSum, correct, size], { step, weight });
   */
  reduceStep?(weightedGrads: NamedGradients, numbers: readonly number[], info: ReduceInfo): Promise<{ grads: NamedGradients; numbers: number[] }>;
  /** Combines plain numbers over the replicas, element-wise (e.g. `[lossSum, correct, count]`). */
  reduceNumbers(values: readonly number[], op: ReduceOp): Promise<number[]>;
  /**
   * Called after each optimizer step, on every rank (e.g. to check every K steps that replicas are
   * still equal; a sharded strategy all-gathers the variables other ranks updated). Required after
   * every `reduceGradients` / `reduceStep`.
   */
  afterStep(ctx: StrategyContext, step: number): Promise<void>;
  /**
   * Waits until every replica reached the same `label`. A strategy that shards optimizer state first
   * makes the chief's optimizer hold the whole state, so what the chief reads right after a barrier
   * (`trainer.checkpointState()` in the checkpoint callback) is complete.
   */
  barrier(label: string): Promise<void>;
  /** Releases sockets and timers; safe to call twice and after an error. */
  teardown(): Promise<void>;
  /**
   * Optional, elastic strategies only: leaves the current group (if any) and forms the next one with
   * every live rank (survivors, and workers waiting to join), between steps. The most advanced
   * member (most `appliedSteps`, then lowest new rank) is the source: its `request.state()` is copied
   * to every other member, which resolves with it (the Trainer resumes from it and disposes it); the
   * source resolves with undefined (the Trainer rolls back to its own commit). Afterwards `rank`,
   * `worldSize` and `isChief` are the new group's and the strategy is set up (no `setup` call follows).
   * The Trainer calls it instead of `setup` at the start (`reason: 'start'`), after a step that set
   * `regroupPending` (`join`), and when a step, evaluation or barrier throws a DistributedError (`failure`).
   * @throws DistributedError when no group can form (fewer live workers than the job's minimum):
   * the Trainer then fails as without it.
   */
  regroup?(request: RegroupRequest): Promise<CheckpointState | undefined>;
  /**
   * Elastic strategies: true once the last step (every rank in the same exchange) agreed that workers
   * wait to join; the Trainer then calls `regroup({ reason: 'join' })` before the next step.
   */
  readonly regroupPending?: boolean;
  /** Elastic strategies: the group's generation (0 for the first group, +1 per regroup). */
  readonly generation?: number;
}
