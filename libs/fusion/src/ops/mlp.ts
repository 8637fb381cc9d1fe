import * as tf from '@tensorflow/tfjs-core';
import { dense } from './dense.js';
import type { DenseParams, ParamStore } from './param-store.js';

/** A two-layer perceptron's variables: `in -> hidden (ReLU) -> out`. */
export interface MlpParams {
  /** `in -> hidden`. */
  hidden: DenseParams;
  /** `hidden -> out`. */
  out: DenseParams;
}

/**
 * Creates a two-layer perceptron's variables under `name` (`name/hidden/...`, `name/out/...`).
 *
 * @example const head = createMlp(store, 'out', 64, 32, 10);
 */
export function createMlp(store: ParamStore, name: string, inDim: number, hiddenDim: number, outDim: number): MlpParams {
  return { hidden: store.dense(`${name}/hidden`, inDim, hiddenDim), out: store.dense(`${name}/out`, hiddenDim, outDim) };
}

/**
 * Applies a two-layer perceptron: `out(relu(hidden(x)))`.
 *
 * @param x `[batch, in]`.
 * @returns `[batch, out]`.
 *
 * @example mlp(fused, params) // [batch, outDim]
 */
export function mlp(x: tf.Tensor2D, params: MlpParams): tf.Tensor2D {
  return dense(tf.relu(dense(x, params.hidden)), params.out);
}
