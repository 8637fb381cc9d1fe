import type * as tf from '@tensorflow/tfjs-core';

/** What an {@link UpdateRule} gets for one parameter of one step (all float32). */
export interface UpdateContext<O> {
  /** The parameter, already multiplied by `1 - lr * weightDecay` under decoupled weight decay. */
  readonly param: tf.Tensor;
  /** The gradient, already negated under `maximize` and with `weightDecay * param` added under coupled decay. */
  readonly grad: tf.Tensor;
  /** The parameter's slots from its previous update; empty before its first. */
  readonly slots: Readonly<Record<string, tf.Tensor>>;
  /** 1-based count of this parameter's updates, this one included. */
  readonly step: number;
  /** The group's current learning rate. */
  readonly lr: number;
  /** The group's hyperparameters. */
  readonly options: O;
}

/** The new parameter value and slots; tensors the rule made (the optimizer keeps and frees them). */
export interface UpdateResult {
  readonly param: tf.Tensor;
  readonly slots: Readonly<Record<string, tf.Tensor>>;
}

/**
 * The per-parameter update of one algorithm (SGD, Adam, ...). The shared parts of every torch
 * optimizer (groups, maximize, coupled and decoupled weight decay, clipping, state) live in
 * `GradientOptimizer`; a rule only says how slots and the parameter move. It runs inside `tf.tidy`.
 *
 * @example
 * const signSgd: UpdateRule<{ lr: number }> = {
 *   update: ({ param, grad, lr }) => ({ param: tf.sub(param, tf.mul(tf.sign(grad), lr)), slots: {} }),
 * };
 */
export interface UpdateRule<O> {
  /** The update for one parameter. */
  update(ctx: UpdateContext<O>): UpdateResult;
  /** Why a group's options are inconsistent (e.g. Nesterov without momentum), or undefined if fine. */
  check?(options: O): string | undefined;
}
