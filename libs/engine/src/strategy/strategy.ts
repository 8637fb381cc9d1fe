import type * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients, Optimizer } from '@omnitrain/optim';

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
}
