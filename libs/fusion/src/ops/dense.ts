import * as tf from '@tensorflow/tfjs-core';
import type { DenseParams } from './param-store.js';

/**
 * Applies a dense layer: `x kernel + bias`.
 *
 * @param x `[batch, in]`.
 * @returns `[batch, out]`.
 *
 * @example dense(x, store.dense('proj', 8, 16)) // [batch, 16]
 */
export function dense(x: tf.Tensor2D, layer: DenseParams): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.kernel as tf.Tensor2D), layer.bias);
}
