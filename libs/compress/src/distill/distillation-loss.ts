import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@omnitrain/engine';

/** Options of {@link distillationLoss} and {@link distillationModel}. */
export interface DistillationOptions {
  /** Weight of the hard-label cross-entropy; 1 - alpha weighs the soft teacher term. Default 0.5. */
  alpha?: number;
  /** Softmax temperature T of the soft term (> 0). Default 2. */
  temperature?: number;
}

/**
 * Hinton et al.'s distillation loss, mean over the batch:
 * `alpha * CE(labels, student) + (1 - alpha) * T^2 * KL(softmax(teacher / T) || softmax(student / T))`
 * (torch: `alpha * cross_entropy + (1 - alpha) * T**2 * kl_div(log_softmax(s/T), softmax(t/T), reduction='batchmean')`).
 * Its gradient w.r.t. the student logits is `(alpha * (softmax(s) - y) + (1 - alpha) * T * (softmax(s/T) - softmax(t/T))) / batch`.
 *
 * @param student Student logits [batch, classes].
 * @param teacher Teacher logits [batch, classes] (no gradient flows into them).
 * @param labels Class ids, int32 [batch].
 * @param options alpha (default 0.5), temperature (default 2).
 * @returns A float32 scalar.
 *
 * @example
 * const loss = distillationLoss(studentLogits, teacherLogits, labels, { alpha: 0.3, temperature: 4 });
 */
export function distillationLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, labels: tf.Tensor1D, options: DistillationOptions = {}): tf.Scalar {
  const alpha = options.alpha ?? 0.5;
  const t = options.temperature ?? 2;
  return tf.tidy(() => {
    const ce = softmaxCrossEntropy(student, labels);
    const pt = tf.softmax(tf.div(teacher, t)); // [batch, classes]
    const kl = tf.sum(tf.mul(pt, tf.sub(tf.log(tf.maximum(pt, 1e-30)), tf.logSoftmax(tf.div(student, t)))), 1); // [batch]
    return tf.add(tf.mul(ce, alpha), tf.mul(tf.mean(kl), (1 - alpha) * t * t)) as tf.Scalar;
  });
}
