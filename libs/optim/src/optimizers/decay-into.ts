import * as tf from '@tensorflow/tfjs-core';

/**
 * `prev * factor + term`, the running-average step of RMSprop and Adam slots; `term` alone when
 * there is no previous value yet (torch starts those slots at zero, and `0 * factor + term` is
 * exactly `term`).
 *
 * @example
 * const expAvg = decayInto(slots['expAvg'], beta1, tf.mul(grad, 1 - beta1));
 */
export function decayInto(prev: tf.Tensor | undefined, factor: number, term: tf.Tensor): tf.Tensor {
  return prev === undefined ? term : tf.add(tf.mul(prev, factor), term);
}
