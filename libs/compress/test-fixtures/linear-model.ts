import * as tf from '@tensorflow/tfjs-core';
import type { Batch, TrainableModel } from '@omnitrain/engine';

/** A one-hidden-layer (or linear, `hidden: 0`) classifier over input `x` [batch, inputs], for tests. */
export function createTestModel(options: { inputs: number; hidden: number; classes: number; seed: number; name?: string }): TrainableModel {
  const { inputs, hidden, classes, seed } = options;
  const vars: Record<string, tf.Variable> = {};
  if (hidden > 0) {
    vars['hidden/kernel'] = tf.variable(tf.randomNormal([inputs, hidden], 0, 1 / Math.sqrt(inputs), 'float32', seed));
    vars['hidden/bias'] = tf.variable(tf.zeros([hidden]));
  }
  vars['out/kernel'] = tf.variable(tf.randomNormal([hidden || inputs, classes], 0, 1 / Math.sqrt(hidden || inputs), 'float32', seed + 1));
  vars['out/bias'] = tf.variable(tf.zeros([classes]));
  return {
    name: options.name ?? 'test',
    variables: vars,
    numClasses: classes,
    forward(batch: Batch): tf.Tensor2D {
      return tf.tidy(() => {
        let h = batch.inputs['x'] as tf.Tensor2D;
        if (hidden > 0) h = tf.relu(tf.add(tf.matMul(h, vars['hidden/kernel']!), vars['hidden/bias']!)) as tf.Tensor2D;
        return tf.add(tf.matMul(h, vars['out/kernel']!), vars['out/bias']!) as tf.Tensor2D;
      });
    },
    getConfig: () => ({ name: 'test', inputs, hidden, classes }),
    dispose: () => Object.values(vars).forEach((v) => v.dispose()),
  };
}
