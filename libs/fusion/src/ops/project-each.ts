import * as tf from '@tensorflow/tfjs-core';
import { dense } from './dense.js';
import type { DenseParams, ParamStore } from './param-store.js';

/**
 * Creates one dense projection per modality to a common width, named `name/<modality>`.
 *
 * @example const proj = createProjections(store, 'proj', ['image', 'audio'], [64, 32], 16);
 */
export function createProjections(
  store: ParamStore,
  name: string,
  modalities: readonly string[],
  dims: readonly number[],
  width: number,
): DenseParams[] {
  return modalities.map((m, i) => store.dense(`${name}/${m}`, dims[i]!, width));
}

/**
 * Projects every modality with its layer and stacks the results.
 *
 * @param inputs One `[batch, dim_m]` per modality.
 * @param activation Applied after each projection. Default: none.
 * @returns `[batch, modalities, width]`.
 *
 * @example projectEach(inputs, proj, tf.tanh) // [batch, 2, 16]
 */
export function projectEach(
  inputs: tf.Tensor2D[],
  layers: readonly DenseParams[],
  activation: (x: tf.Tensor2D) => tf.Tensor2D = (x) => x,
): tf.Tensor3D {
  return tf.stack(inputs.map((x, i) => activation(dense(x, layers[i]!))), 1) as tf.Tensor3D;
}
