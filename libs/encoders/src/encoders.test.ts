// The conformance suite every built-in encoder runs: config round trip, gradients for every
// trainable weight, and a few dozen Adam steps that learn a small synthetic task.
import { describe, expect, it } from 'vitest';
// The umbrella installs the chained tensor ops that tfjs-layers' GRU/LSTM cells call.
import * as tf from '@tensorflow/tfjs';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@omnitrain/core';
import { encoderFromConfig } from '@omnitrain/encoders';
import { architecture, loss, randomNormal, textBatch, train, withHead } from '../test-fixtures/encoder-harness.js';

type Task = (rng: Rng) => { x: tf.Tensor | tf.Tensor[]; labels: tf.Tensor };
const N = 16;

/** Class 0 lights the first half of axis 1, class 1 the second half, over standard-normal noise. */
function halvesTask(shape: number[]): Task {
  return (rng) => {
    const labels = Array.from({ length: N }, (_, i) => i % 2);
    const noise = randomNormal(rng, [N, ...shape]);
    const half = shape[0]! / 2;
    const signal = tf.tensor(labels.flatMap((c) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, j) => {
      const row = Math.floor(j / (shape.slice(1).reduce((a, b) => a * b, 1)));
      return (row < half) === (c === 0) ? 1.5 : 0;
    })), [N, ...shape]);
    return { x: tf.add(noise, signal), labels: tf.tensor1d(labels, 'int32') };
  };
}

/** Class c draws its tokens from its own half of the vocabulary; random lengths, random padding ids. */
function tokensTask(time: number, vocab: number): Task {
  return (rng) => {
    const labels = Array.from({ length: N }, (_, i) => i % 2);
    const lengths = labels.map(() => rng.int(2, time));
    const half = (vocab - 1) / 2;
    const ids = labels.map((c, b) =>
      Array.from({ length: time }, (_, t) => (t < lengths[b]! ? 1 + c * half + rng.int(0, half - 1) : rng.int(0, vocab - 1))),
    );
    const mask = lengths.map((len) => Array.from({ length: time }, (_, t) => (t < len ? 1 : 0)));
    return { x: textBatch(ids, mask), labels: tf.tensor1d(labels, 'int32') };
  };
}

const text = { vocabSize: 21, sequenceLength: 6, embeddingDim: 8 };
const cases: { config: Record<string, unknown>; task: Task }[] = [
  { config: { name: 'cnn', inputShape: [8, 8, 1], filters: [4, 6], padding: 'same', batchNorm: true, dropout: 0.1 }, task: halvesTask([8, 8, 1]) },
  { config: { name: 'resnet', inputShape: [4, 4, 1], width: 4, stages: [1, 1] }, task: halvesTask([4, 4, 1]) },
  { config: { name: 'resnet', inputShape: [4, 4, 1], width: 4, stages: [1], normalization: 'none' }, task: halvesTask([4, 4, 1]) },
  { config: { name: 'audio-conv1d', inputShape: [8, 6], filters: [8, 8] }, task: halvesTask([8, 6]) },
  { config: { name: 'audio-conv2d', inputShape: [8, 6, 1], filters: [4, 8] }, task: halvesTask([8, 6, 1]) },
  { config: { name: 'bag-of-embeddings', ...text }, task: tokensTask(6, 21) },
  { config: { name: 'rnn', cell: 'gru', units: 8, ...text }, task: tokensTask(6, 21) },
  { config: { name: 'rnn', cell: 'lstm', units: 8, ...text }, task: tokensTask(6, 21) },
  { config: { name: 'transformer', numHeads: 2, ffDim: 16, dropout: 0.1, ...text }, task: tokensTask(6, 21) },
];

describe.each(cases)('$config.name encoder conformance ($config)', ({ config, task }) => {
  it('round-trips its config: same config, same architecture', () => {
    const enc = encoderFromConfig(config);
    const saved = JSON.parse(JSON.stringify(enc.getConfig())) as unknown;
    const again = encoderFromConfig(saved);
    expect(again.getConfig()).toEqual(enc.getConfig());
    expect(architecture(again)).toEqual(architecture(enc));
  });

  it('builds the same initial weights from the same seed, and other weights from another', () => {
    const weights = (seed: number) => encoderFromConfig({ ...config, seed }).model.getWeights().map((w) => Array.from(w.dataSync()));
    const [a, b, c] = [weights(1), weights(1), weights(2)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('has a non-zero gradient for every trainable weight', () => {
    const net = withHead(encoderFromConfig(config), 2);
    const { x, labels } = task(Rng.fromSeed(7));
    const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(net, x, labels), vars);
    for (const v of vars) {
      const g = grads[v.name];
      expect(g, v.name).toBeDefined();
      expect(tf.norm(g!).dataSync()[0], v.name).toBeGreaterThan(0);
    }
  });

  it('learns a small synthetic task in a few dozen Adam steps', () => {
    const net = withHead(encoderFromConfig({ ...config, seed: 17 }), 2);
    const { x, labels } = task(Rng.fromSeed(13));
    const { first, last } = train(net, x, labels, 30);
    expect(last).toBeLessThan(0.6 * first);
  });
});

describe('encoders as layers', () => {
  it('two encoders of the same kind nest side by side in one model', () => {
    const config = { name: 'cnn', inputShape: [6, 6, 1], filters: [2], padding: 'same' };
    const [a, b] = [encoderFromConfig(config), encoderFromConfig(config)];
    const inputs = [tfl.input({ shape: [6, 6, 1] }), tfl.input({ shape: [6, 6, 1] })];
    const joined = tfl.layers.concatenate().apply([a.model.apply(inputs[0]!), b.model.apply(inputs[1]!)] as tfl.SymbolicTensor[]);
    const net = tfl.model({ inputs, outputs: joined as tfl.SymbolicTensor });
    const y = net.predict([randomNormal(Rng.fromSeed(3), [2, 6, 6, 1]), randomNormal(Rng.fromSeed(4), [2, 6, 6, 1])]) as tf.Tensor;
    expect(y.shape).toEqual([2, 2 * a.outputDim]);
  });
});
