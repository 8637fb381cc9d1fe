import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';
import type { NamedGradients } from '../optimizers/optimizer.js';

/**
 * Clamps every gradient element to `[-clipValue, clipValue]` (torch.nn.utils.clip_grad_value_).
 *
 * @param grads Gradients by name (not modified, not disposed).
 * @param clipValue The largest absolute value allowed, >= 0.
 * @returns New clamped gradients, by name; the caller disposes them.
 * @throws ConfigError for a negative clipValue.
 *
 * @example
 * const clipped = clipGradValue({ w: tf.tensor1d([-2, 0.1, 3]) }, 1); // w: [-1, 0.1, 1]
 */
export function clipGradValue(grads: NamedGradients, clipValue: number): tf.NamedTensorMap {
  if (!(clipValue >= 0)) {
    throw new ConfigError({ op: 'optim.clipGradValue', expected: 'clipValue >= 0', received: String(clipValue) });
  }
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.clipByValue(g, -clipValue, clipValue)]));
}
