import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '@omnitrain/core';

/** Options of {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyOptions {
  /** Label smoothing ε: the target is (1 - ε) one-hot + ε / classes. Default 0. */
  labelSmoothing?: number;
}

/**
 * The mean over the batch of the softmax cross-entropy of `logits` against class ids (torch's
 * `cross_entropy(logits, labels, label_smoothing=ε)`), computed stably with `logSoftmax`.
 *
 * @param logits Scores [batch, classes].
 * @param labels Class ids, int32 [batch].
 * @param options labelSmoothing (default 0).
 * @returns A float32 scalar.
 * @throws DataError when the batch sizes differ or ε is outside [0, 1).
 *
 * @example
 * const loss = softmaxCrossEntropy(model.forward(batch, { training: true }), batch.labels, { labelSmoothing: 0.1 });
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: SoftmaxCrossEntropyOptions = {},
): tf.Scalar {
  const eps = options.labelSmoothing ?? 0;
  const [batch, classes] = logits.shape;
  if (labels.shape[0] !== batch || !(eps >= 0 && eps < 1)) {
    throw new DataError({
      op: 'engine.softmaxCrossEntropy',
      expected: `labels [${batch}] for logits [${batch}, ${classes}] and 0 <= labelSmoothing < 1`,
      received: `labels [${labels.shape}], labelSmoothing ${eps}`,
    });
  }
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits); // [batch, classes]
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), classes); // [batch, classes]
    const target = eps === 0 ? onehot : tf.add(tf.mul(onehot, 1 - eps), eps / classes);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1))) as tf.Scalar;
  });
}
