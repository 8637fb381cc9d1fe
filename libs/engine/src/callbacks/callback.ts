import type { Trainer } from '../trainer/trainer.js';
import type { EpochLogs, History } from '../trainer/history.js';
import type { StepTimings } from '../trainer/step-timings.js';
import type { EvalResult } from '../trainer/evaluate-model.js';

/** What every hook receives. */
export interface HookInfo {
  /** The trainer: model, optimizer, strategy, `stop()`, `checkpointState()`. */
  readonly trainer: Trainer;
  /** Optimizer steps completed so far. */
  readonly step: number;
  /** The current epoch, from 0. */
  readonly epoch: number;
}

/** {@link Callback.onTrainBegin}. */
export interface TrainBeginInfo extends HookInfo {
  /** Whether the trainer continues from a checkpoint. */
  readonly resumed: boolean;
}

/** {@link Callback.onRegroup}: an elastic group re-formed; training continues from `rolledBackToStep`. */
export interface RegroupInfo extends HookInfo {
  /** `start` (first group, or this worker joined), `failure` (a rank died or froze), `join` (workers joined). */
  readonly reason: 'start' | 'failure' | 'join';
  /** The new group's generation. */
  readonly generation: number;
  /** This rank in the new group. */
  readonly rank: number;
  /** The new group's size. */
  readonly worldSize: number;
  /** The step training continues from (the source member's commit). */
  readonly rolledBackToStep: number;
  /** Whether this rank was the source every other member copied. */
  readonly source: boolean;
  /** What broke the old group (`failure`). */
  readonly error?: unknown;
}

/** {@link Callback.onBatchEnd}: one batch trained. */
export interface BatchEndInfo extends HookInfo {
  /** The batch's index in its epoch, from 0. */
  readonly batch: number;
  /** Batches in a full epoch on this rank. */
  readonly batchesPerEpoch: number;
  /** Whether an optimizer step was taken after this batch (false while accumulating). */
  readonly stepped: boolean;
  /** The batch's mean data loss over all ranks (penalties excluded). */
  readonly loss: number;
  /** The batch's accuracy over all ranks. */
  readonly accuracy: number;
  /** Samples of the global batch (all ranks). */
  readonly samples: number;
  /** Learning rate of each parameter group, in group order, as used for this step. */
  readonly lr: readonly number[];
  /** The step's time split on this rank. */
  readonly timings: StepTimings;
}

/** {@link Callback.onEvalEnd}: the validation split was evaluated. */
export interface EvalEndInfo extends HookInfo {
  readonly split: 'val' | 'test';
  readonly result: EvalResult;
}

/** {@link Callback.onEpochEnd}. */
export interface EpochEndInfo extends HookInfo {
  /** The epoch's metrics (`loss`, `accuracy`, `lr`, `val_*`), reduced over ranks. */
  readonly logs: EpochLogs;
}

/** {@link Callback.onTrainEnd}. */
export interface TrainEndInfo extends HookInfo {
  readonly history: History;
  /** `completed` (epochs or maxSteps reached) or `stopped` (a callback called `trainer.stop`). */
  readonly status: 'completed' | 'stopped';
  /** Why it stopped, when stopped. */
  readonly stopReason?: string | undefined;
}

/** {@link Callback.onError}: a step or hook threw; `fit` rethrows after the hooks ran. */
export interface ErrorInfo extends HookInfo {
  readonly error: Error;
}

/** {@link Callback.onCheckpoint}: a checkpoint file was completed (on the chief). */
export interface CheckpointInfo extends HookInfo {
  /** The file's path. */
  readonly path: string;
  readonly bytes: number;
  /** The metric the checkpoint was judged by, when any. */
  readonly monitor?: { readonly name: string; readonly value: number } | undefined;
  /** Whether it is the best so far by the monitor. */
  readonly best: boolean;
}

/** {@link Callback.onStop}: a callback asked the trainer to stop. */
export interface StopInfo extends HookInfo {
  readonly reason: string;
  /** Set by early stopping, for its telemetry event. */
  readonly earlyStop?: EarlyStopDetails | undefined;
}

/** What early stopping reports when it stops a run. */
export interface EarlyStopDetails {
  /** The epoch whose end triggered the stop. */
  readonly stoppedEpoch: number;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly bestValue: number;
  readonly bestEpoch: number;
  readonly patience: number;
  readonly restoredBest: boolean;
}

/**
 * A feature of the training loop (checkpoints, early stopping, telemetry, ...) as hooks on a fixed
 * lifecycle: `onTrainBegin` -> per epoch (`onEpochBegin` -> `onBatchEnd` per batch -> `onEvalEnd`
 * -> `onEpochEnd`) -> `onTrainEnd`; `onError` when anything throws. `onCheckpoint` and `onStop`
 * announce what other callbacks did. Hooks run in list order and are awaited. A callback with state
 * that must survive a restart implements `getState`/`setState` (saved in checkpoints by `name`).
 *
 * @example
 * const printLoss: Callback = { name: 'print', onEpochEnd: ({ epoch, logs }) => console.log(epoch, logs.loss) };
 */
export interface Callback {
  /** A name unique among the trainer's callbacks (keys its state in checkpoints). */
  readonly name: string;
  onTrainBegin?(info: TrainBeginInfo): void | Promise<void>;
  onEpochBegin?(info: HookInfo): void | Promise<void>;
  onBatchEnd?(info: BatchEndInfo): void | Promise<void>;
  onEvalEnd?(info: EvalEndInfo): void | Promise<void>;
  onEpochEnd?(info: EpochEndInfo): void | Promise<void>;
  onTrainEnd?(info: TrainEndInfo): void | Promise<void>;
  onError?(info: ErrorInfo): void | Promise<void>;
  onCheckpoint?(info: CheckpointInfo): void | Promise<void>;
  onStop?(info: StopInfo): void | Promise<void>;
  /** After an elastic regroup (the strategy's `regroup`): rank, world size and chief may have changed. */
  onRegroup?(info: RegroupInfo): void | Promise<void>;
  /** State to put in checkpoints (plain JSON). */
  getState?(): unknown;
  /** Restores {@link Callback.getState}'s value on resume. */
  setState?(state: unknown): void;
  /** Tensors to put in checkpoints (copies the caller disposes), e.g. early stopping's best weights. */
  getTensors?(): Record<string, import('@tensorflow/tfjs-core').Tensor>;
  /** Restores {@link Callback.getTensors}'s tensors on resume (copy them; the caller disposes these). */
  setTensors?(tensors: Readonly<Record<string, import('@tensorflow/tfjs-core').Tensor>>): void;
}
