import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './param-store.js';

/** A layer norm's variables. */
export interface LayerNormParams {
  /** Scale, `[dim]`, starts at 1. */
  gamma: tf.Variable;
  /** Shift, `[dim]`, starts at 0. */
  beta: tf.Variable;
}

/**
 * Creates a layer norm's variables under `name` (`name/gamma`, `name/beta`).
 *
 * @example const ln = createLayerNorm(store, 'block0/ln1', 32);
 */
export function createLayerNorm(store: ParamStore, name: string, dim: number): LayerNormParams {
  return { gamma: store.constant(`${name}/gamma`, [dim], 1), beta: store.constant(`${name}/beta`, [dim], 0) };
}

/**
 * Normalizes over the last axis: `(x - mean) / sqrt(var + 1e-5) * gamma + beta`.
 *
 * @param x `[..., dim]`.
 * @returns The same shape.
 *
 * @example layerNorm(tokens, ln) // [batch, tokens, dim]
 */
export function layerNorm<T extends tf.Tensor>(x: T, params: LayerNormParams): T {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  return tf.add(tf.mul(normed, params.gamma), params.beta) as T;
}
