import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';
import type { NamedGradients } from '../optimizers/optimizer.js';

/** What {@link clipGradNorm} returns; the caller disposes the tensors. */
export interface ClippedGradients {
  /** The gradients scaled by min(1, maxNorm / (totalNorm + 1e-6)), by name. */
  readonly grads: tf.NamedTensorMap;
  /** The global norm of the gradients before clipping, a float32 scalar. */
  readonly totalNorm: tf.Scalar;
}

/**
 * Scales gradients together so their global p-norm (as if all were one vector) is at most
 * `maxNorm`, exactly as torch.nn.utils.clip_grad_norm_: the norm of the per-tensor norms, then
 * a factor `min(1, maxNorm / (norm + 1e-6))` for every gradient. Runs on the backend, no sync.
 *
 * @param grads Gradients by name (not modified, not disposed).
 * @param maxNorm The largest global norm allowed, >= 0.
 * @param normType p of the p-norm (> 0), or `'inf'` for the largest absolute value. Default 2.
 * @returns New clipped gradients and the global norm before clipping.
 * @throws ConfigError for a negative maxNorm or a non-positive normType.
 *
 * @example
 * const { grads: clipped, totalNorm } = clipGradNorm(grads, 1.0);
 * telemetry.scalar('grad_norm', (await totalNorm.data())[0]);
 */
export function clipGradNorm(grads: NamedGradients, maxNorm: number, normType: number | 'inf' = 2): ClippedGradients {
  if (!(maxNorm >= 0) || (normType !== 'inf' && !(normType > 0))) {
    throw new ConfigError({
      op: 'optim.clipGradNorm',
      expected: 'maxNorm >= 0 and normType > 0 or "inf"',
      received: `maxNorm ${maxNorm}, normType ${normType}`,
    });
  }
  const entries = Object.entries(grads);
  if (entries.length === 0) return { grads: {}, totalNorm: tf.scalar(0) };
  return tf.tidy(() => {
    const norms = entries.map(([, g]) => vectorNorm(g, normType));
    const totalNorm = vectorNorm(tf.stack(norms), normType); // torch stacks even a single norm
    const coef = tf.minimum(tf.div(maxNorm, tf.add(totalNorm, 1e-6)), 1);
    const clipped = Object.fromEntries(entries.map(([name, g]) => [name, tf.mul(g, coef)]));
    return { grads: clipped, totalNorm: totalNorm as tf.Scalar };
  });
}

function vectorNorm(x: tf.Tensor, p: number | 'inf'): tf.Tensor {
  if (p === 'inf') return tf.max(tf.abs(x));
  if (p === 1) return tf.sum(tf.abs(x));
  if (p === 2) return tf.sqrt(tf.sum(tf.square(x)));
  return tf.pow(tf.sum(tf.pow(tf.abs(x), p)), 1 / p);
}
