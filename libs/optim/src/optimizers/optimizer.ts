import type * as tf from '@tensorflow/tfjs-core';

/** The parameters an optimizer updates, by name (`encoder/conv1/kernel`). */
export type NamedVariables = Readonly<Record<string, tf.Variable>>;

/** Gradients by parameter name; a parameter without an entry is left alone this step. */
export type NamedGradients = Readonly<Record<string, tf.Tensor>>;

/** A plain-JSON config carrying the registered name of what it configures (`{ name: 'adam', ... }`). */
export interface NamedConfig {
  readonly name: string;
  readonly [option: string]: unknown;
}

/** One parameter group as the optimizer sees it now. */
export interface ParamGroup {
  /** The group's name: its config `name`, else `group<i>`; the last group is `default`. */
  readonly name: string;
  /** The parameters in it. */
  readonly params: readonly string[];
  /** The learning rate the next step uses (schedules and reduce-on-plateau change it). */
  readonly lr: number;
  /** The configured learning rate, the base that schedules scale. */
  readonly initialLr: number;
  /** Every hyperparameter of the group after overrides (lr is the configured one). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The JSON half of an optimizer's state. */
export interface OptimizerStateMeta {
  /** Format tag, `omnitrain.optim/1`. */
  readonly format: string;
  /** The optimizer's registered name; a state loads only into the same kind. */
  readonly optimizer: string;
  /** Calls of `applyGradients` so far. */
  readonly iterations: number;
  /** Updates per parameter (torch's per-parameter `step`), for bias correction and lr decay. */
  readonly steps: Readonly<Record<string, number>>;
  /** The current learning rate of each group, in group order. */
  readonly lrs: readonly number[];
}

/**
 * An optimizer's state as named tensors (`<param>/<slot>`, e.g. `enc/w/expAvg`) plus JSON: what
 * goes into a safetensors checkpoint beside the weights (see `saveOptimizerState`).
 */
export interface OptimizerState {
  /** Slot tensors; `exportState` hands over copies the caller disposes. */
  readonly tensors: tf.NamedTensorMap;
  readonly meta: OptimizerStateMeta;
}

/**
 * Updates named tfjs Variables from gradients, one parameter group at a time (each group has its
 * own learning rate and hyperparameters, e.g. a smaller lr for a pretrained encoder).
 *
 * @example
 * const opt = createOptimizer({ w, b }, { name: 'adam', lr: 1e-3 });
 * const { grads } = tf.variableGrads(() => loss(), [w, b]); // or tf.grads over named tensors
 * opt.applyGradients({ w: grads[w.name]!, b: grads[b.name]! });
 */
export interface Optimizer {
  /** Registered name (`sgd`, `adam`, ...). */
  readonly name: string;
  /** The parameter groups, in order; the last one (`default`) holds every unmatched parameter. */
  readonly groups: readonly ParamGroup[];
  /** Calls of {@link Optimizer.applyGradients} so far. */
  readonly iterations: number;
  /**
   * One optimizer step: clips the given gradients (if configured) and updates each named parameter.
   * Gradients are read, never disposed.
   * @throws DataError for an unknown name or a gradient whose shape differs from its parameter's.
   */
  applyGradients(grads: NamedGradients): void;
  /** Sets the learning rate of every group (a number) or of each group in order (an array). */
  setLr(lr: number | readonly number[]): void;
  /** A copy of the state (slot tensors + JSON); the caller disposes the tensors. */
  exportState(): OptimizerState;
  /**
   * Replaces the state with `state` (tensors are copied); the next step continues exactly where
   * the exporting optimizer would have.
   * @throws CheckpointError when the state belongs to another optimizer or other parameters.
   */
  importState(state: OptimizerState): void;
  /** The config this optimizer was built from (configured learning rates, not scheduled ones). */
  getConfig(): NamedConfig;
  /** Frees the slot tensors (the parameters belong to the caller). */
  dispose(): void;
}
