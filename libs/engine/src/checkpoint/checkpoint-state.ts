import type * as tf from '@tensorflow/tfjs-core';
import type { RngState } from '@omnitrain/core';
import type { SamplerState } from '@omnitrain/data';
import type { NamedConfig, OptimizerStateMeta } from '@omnitrain/optim';
import type { EpochLogs } from '../trainer/history.js';

/**
 * The metadata key of a checkpoint's JSON half in its safetensors file.
 *
 * @example
 * JSON.parse((await readSafetensors(path)).metadata[CHECKPOINT_METADATA_KEY]!).step;
 */
export const CHECKPOINT_METADATA_KEY = 'omnitrain.checkpoint';
/**
 * The format tag written in every checkpoint.
 *
 * @example
 * (await loadCheckpoint(path)).step; // loadCheckpoint refuses files of another format
 */
export const CHECKPOINT_FORMAT = 'omnitrain.checkpoint/1';

/** The JSON half of a checkpoint: everything but the tensors. */
export interface CheckpointMeta {
  /** Optimizer steps completed. */
  readonly step: number;
  /** The epoch to continue in (the next one after an epoch-end save). */
  readonly epoch: number;
  /** Batches of `epoch` already trained (0 after an epoch-end save). */
  readonly batchInEpoch: number;
  /** The optimizer's JSON state (its slot tensors are under `optimizer/`). */
  readonly optimizer: OptimizerStateMeta;
  /** The schedule and what its steps count, when the run has one. */
  readonly schedule?: { readonly config: NamedConfig; readonly interval: 'step' | 'epoch' } | undefined;
  /** The trainer's random stream. */
  readonly rng: RngState;
  /** Where the BatchSource continues. */
  readonly sampler: SamplerState;
  /** The latest metrics (last epoch's logs). */
  readonly metrics: EpochLogs;
  /** The running sums of the current epoch's train metrics `[lossSum, correct, count]`. */
  readonly epochCounts: readonly number[];
  /** Callback states by callback name. */
  readonly callbacks: Readonly<Record<string, unknown>>;
  /** The history so far. */
  readonly history: readonly { readonly epoch: number; readonly step: number; readonly logs: EpochLogs }[];
  /** The model's config, to rebuild it. */
  readonly model?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Everything a run needs to continue exactly: model weights and optimizer slots (tensors, owned by
 * whoever holds the state) plus {@link CheckpointMeta}.
 */
export interface CheckpointState extends CheckpointMeta {
  /** Model variables by checkpoint name. */
  readonly weights: tf.NamedTensorMap;
  /** Optimizer slot tensors by `<param>/<slot>`. */
  readonly optimizerTensors: tf.NamedTensorMap;
  /**
   * Tensors of callbacks by callback name (e.g. early stopping's best weights), from
   * `Callback.getTensors`; stored under `callbacks/<name>/`. Absent or empty when none has any.
   */
  readonly callbackTensors?: Readonly<Record<string, tf.NamedTensorMap>> | undefined;
}
