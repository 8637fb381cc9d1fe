import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '@omnitrain/core';

/**
 * How many rows of `logits` rank their true class among the `k` highest scores (a tie with the k-th
 * score counts as a hit only when the true class comes first in index order, as `tf.topk` breaks ties).
 *
 * @param logits Scores [batch, classes].
 * @param labels Class ids [batch].
 * @param k How many top classes count as a hit. Default 1.
 * @returns The hit count (sum it across ranks, then divide by the total sample count).
 * @throws DataError when shapes disagree or k is out of range.
 *
 * @example
 * topKCorrect(tf.tensor2d([[0.1, 0.9], [0.8, 0.2]]), tf.tensor1d([1, 1], 'int32')); // 1
 */
export function topKCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D, k = 1): number {
  const [batch, classes] = logits.shape;
  if (labels.shape[0] !== batch || !Number.isInteger(k) || k < 1 || k > classes) {
    throw new DataError({
      op: 'engine.topKCorrect',
      expected: `labels [${batch}] and an integer k in 1..${classes}`,
      received: `labels [${labels.shape}], k ${k}`,
    });
  }
  if (batch === 0) return 0;
  const hits = tf.tidy(() => {
    const { indices } = tf.topk(logits, k); // [batch, k]
    const match = tf.equal(indices, tf.expandDims(tf.cast(labels, 'int32'), 1));
    return tf.sum(tf.cast(match, 'int32'));
  });
  const n = hits.dataSync()[0]!;
  hits.dispose();
  return n;
}

/**
 * The share of rows whose arg-max is the label.
 *
 * @example
 * accuracy(tf.tensor2d([[0.1, 0.9], [0.8, 0.2]]), tf.tensor1d([1, 1], 'int32')); // 0.5
 */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): number {
  return logits.shape[0] === 0 ? NaN : topKCorrect(logits, labels, 1) / logits.shape[0];
}

/**
 * The share of rows whose label is among the `k` highest scores.
 *
 * @example
 * topKAccuracy(logits, labels, 5);
 */
export function topKAccuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, k: number): number {
  return logits.shape[0] === 0 ? NaN : topKCorrect(logits, labels, k) / logits.shape[0];
}
