import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';

/** Strengths of {@link l1l2Penalty}. */
export interface L1L2Options {
  /** Weight of the sum of absolute values (lasso). Default 0. */
  l1?: number;
  /** Weight of the sum of squares (ridge). Default 0. */
  l2?: number;
}

/**
 * The L1, L2 or elastic-net (L1 + L2) penalty as a loss term, Keras' convention:
 * `l1 * Σ|w| + l2 * Σw²` over all given weights. Add it to the loss inside the gradient closure.
 * An L2 penalty `l2` gives the gradient `2 * l2 * w`, i.e. the same steps as coupled weight decay
 * `weightDecay = 2 * l2` in SGD; with Adam it differs from AdamW's decoupled decay (that is the point
 * of AdamW). Dropout is a layer of the model, not a penalty, and is configured there.
 *
 * @param weights The tensors to penalize (usually kernels, not biases or norm scales), as a list or by name.
 * @param options l1 (default 0), l2 (default 0); both >= 0.
 * @returns A float32 scalar.
 * @throws ConfigError for a negative strength.
 *
 * @example
 * const { value, grads } = tf.variableGrads(() =>
 *   tf.add(dataLoss(), l1l2Penalty([dense.kernel], { l1: 1e-5, l2: 1e-4 })));
 */
export function l1l2Penalty(
  weights: readonly tf.Tensor[] | Readonly<Record<string, tf.Tensor>>,
  options: L1L2Options,
): tf.Scalar {
  const { l1 = 0, l2 = 0 } = options;
  if (!(l1 >= 0 && l2 >= 0)) {
    throw new ConfigError({ op: 'optim.l1l2Penalty', expected: 'l1 >= 0 and l2 >= 0', received: `l1 ${l1}, l2 ${l2}` });
  }
  const list = Array.isArray(weights) ? (weights as readonly tf.Tensor[]) : Object.values(weights);
  return tf.tidy(() => {
    const terms = list.flatMap((w) => [
      ...(l1 !== 0 ? [tf.mul(tf.sum(tf.abs(w)), l1)] : []),
      ...(l2 !== 0 ? [tf.mul(tf.sum(tf.square(w)), l2)] : []),
    ]);
    return terms.length === 0 ? tf.scalar(0) : (tf.addN(terms) as tf.Scalar);
  });
}
