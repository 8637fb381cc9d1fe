// Test helpers shared by the encoder tests: seeded inputs, a softmax head, a few Adam steps.
// tfjs-core and the cpu backend only: test files that run GRU/LSTM import '@tensorflow/tfjs' for
// the chained tensor ops tfjs-layers' RNN cells call, as an app's composition root would.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@omnitrain/core';
import type { Encoder } from '@omnitrain/encoders';

/** A float tensor of standard normal draws. */
export function randomNormal(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

/** Random token ids `[batch, time]` in [1, vocab), random lengths >= 1, 0 after the length, and the attention mask. */
export function randomIds(rng: Rng, batch: number, time: number, vocab: number): { ids: number[][]; mask: number[][]; lengths: number[] } {
  const lengths = Array.from({ length: batch }, () => rng.int(1, time));
  const ids = lengths.map((len) => Array.from({ length: time }, (_, t) => (t < len ? rng.int(1, vocab - 1) : 0)));
  const mask = lengths.map((len) => Array.from({ length: time }, (_, t) => (t < len ? 1 : 0)));
  return { ids, mask, lengths };
}

/** `[ids, attentionMask]` as int32 tensors. */
export function textBatch(ids: number[][], mask: number[][]): tf.Tensor[] {
  return [tf.tensor2d(ids, undefined, 'int32'), tf.tensor2d(mask, undefined, 'int32')];
}

/** Encoder plus a dense softmax head (seeded), as one model. */
export function withHead(encoder: Encoder, classes: number): tfl.LayersModel {
  const head = tfl.layers.dense({ units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) });
  return tfl.model({ inputs: encoder.model.inputs, outputs: head.apply(encoder.model.outputs[0]!) as tfl.SymbolicTensor });
}

/** Softmax cross-entropy of `net` on (x, labels) in training mode. */
export function loss(net: tfl.LayersModel, x: tf.Tensor | tf.Tensor[], labels: tf.Tensor): tf.Scalar {
  const logits = net.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]!), logits) as tf.Scalar;
}

/** Runs `steps` Adam steps; returns the first and last losses. */
export function train(net: tfl.LayersModel, x: tf.Tensor | tf.Tensor[], labels: tf.Tensor, steps: number, lr = 0.01): { first: number; last: number } {
  const optimizer = tf.train.adam(lr);
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const value = optimizer.minimize(() => loss(net, x, labels), true, vars)!;
    losses.push(value.dataSync()[0]!);
    value.dispose();
  }
  optimizer.dispose();
  return { first: losses[0]!, last: losses[losses.length - 1]! };
}

/** Trainable parameter count. */
export function trainableCount(encoder: Encoder): number {
  return encoder.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
}

/** The architecture as comparable data: layer classes and weight shapes, in order. */
export function architecture(encoder: Encoder): unknown {
  return {
    layers: encoder.model.layers.map((l) => l.getClassName()),
    weights: encoder.model.weights.map((w) => [w.shape, w.trainable]),
    inputs: encoder.inputs,
    outputDim: encoder.outputDim,
  };
}
