// A small real TrainableModel for the engine's tests: dense layers built from tf.variable + tf ops.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, TrainableModel } from '@omnitrain/engine';

/** Options of {@link createMlp}. */
export interface MlpOptions {
  inputs: number;
  /** Hidden widths; [] gives a linear (logistic-regression) model. */
  hidden: number[];
  classes: number;
  seed: number;
}

/** An MLP over the batch input `x` [batch, inputs]: dense -> relu ... -> dense to logits. */
export function createMlp(o: MlpOptions): TrainableModel {
  const widths = [o.inputs, ...o.hidden, o.classes];
  const variables: Record<string, tf.Variable> = {};
  for (let i = 0; i + 1 < widths.length; i++) {
    const scale = Math.sqrt(2 / widths[i]!);
    variables[`dense${i + 1}/kernel`] = tf.variable(tf.randomNormal([widths[i]!, widths[i + 1]!], 0, scale, 'float32', o.seed + i));
    variables[`dense${i + 1}/bias`] = tf.variable(tf.zeros([widths[i + 1]!]));
  }
  const layers = widths.length - 1;
  return {
    name: 'mlp',
    variables,
    numClasses: o.classes,
    forward(batch: Batch) {
      return tf.tidy(() => {
        let h = batch.inputs['x'] as tf.Tensor2D; // [batch, inputs]
        for (let i = 1; i <= layers; i++) {
          h = tf.add(tf.matMul(h, variables[`dense${i}/kernel`]!), variables[`dense${i}/bias`]!);
          if (i < layers) h = tf.relu(h);
        }
        return h; // [batch, classes]
      });
    },
    getConfig: () => ({ name: 'mlp', ...o }),
    dispose: () => tf.dispose(Object.values(variables)),
  };
}
