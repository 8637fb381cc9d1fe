// Every weight gradient of one training step, per model family, on wasm with our kernels vs the
// cpu backend: same weights, same batch, softmax cross-entropy, no optimizer.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TRAINING_KERNELS, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, randn, relativeError, rng, setUpBackends } from './test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

const BATCH = 4;
const CLASSES = 3;

/** A model: its trainable variables and its forward pass to logits [batch, classes]. */
interface Model {
  variables: tf.Variable[];
  apply(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** A model family: how to build the model, and its input batch (float features or int32 token ids). */
interface Family {
  name: string;
  build: () => Model;
  input: () => { values: Float32Array | Int32Array; shape: number[] };
}

/** A tfjs-layers model as a {@link Model}. */
function layers(model: tf.LayersModel): Model {
  return {
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    apply: (x) => model.apply(x) as tf.Tensor,
    dispose: () => model.dispose(),
  };
}

const families: Family[] = [
  {
    name: 'dense',
    build: () =>
      layers(tf.sequential({
        layers: [tf.layers.dense({ units: 16, activation: 'relu', inputShape: [20] }), tf.layers.dense({ units: CLASSES })],
      })),
    input: () => ({ values: randn([BATCH, 20]), shape: [BATCH, 20] }),
  },
  {
    name: 'conv2d (same, stride 2, valid)',
    build: () =>
      layers(tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [10, 10, 2] }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
          tf.layers.conv2d({ filters: 5, kernelSize: 2, padding: 'valid' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: CLASSES }),
        ],
      })),
    input: () => ({ values: randn([BATCH, 10, 10, 2]), shape: [BATCH, 10, 10, 2] }),
  },
  {
    name: 'conv1d',
    build: () =>
      layers(tf.sequential({
        layers: [
          tf.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [12, 5] }),
          tf.layers.maxPooling1d({ poolSize: 2 }),
          tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
          tf.layers.globalAveragePooling1d(),
          tf.layers.dense({ units: CLASSES }),
        ],
      })),
    input: () => ({ values: randn([BATCH, 12, 5]), shape: [BATCH, 12, 5] }),
  },
  {
    name: 'depthwise / separable conv',
    build: () =>
      layers(tf.sequential({
        layers: [
          tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu', inputShape: [9, 9, 3] }),
          tf.layers.separableConv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
          tf.layers.globalAveragePooling2d({}),
          tf.layers.dense({ units: CLASSES }),
        ],
      })),
    input: () => ({ values: randn([BATCH, 9, 9, 3]), shape: [BATCH, 9, 9, 3] }),
  },
  {
    name: 'pooling after tanh (max, average)',
    build: () =>
      layers(tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh', inputShape: [8, 8, 3] }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }),
          tf.layers.averagePooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: CLASSES }),
        ],
      })),
    input: () => ({ values: randn([BATCH, 8, 8, 3]), shape: [BATCH, 8, 8, 3] }),
  },
  {
    name: 'embedding + GRU + LSTM',
    build: () =>
      layers(tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 30, outputDim: 8, inputLength: 7 }),
          tf.layers.gru({ units: 6, returnSequences: true }),
          tf.layers.lstm({ units: 5 }),
          tf.layers.dense({ units: CLASSES }),
        ],
      })),
    input: () => ({ values: Int32Array.from({ length: BATCH * 7 }, () => rng.int(0, 29)), shape: [BATCH, 7] }),
  },
  {
    name: 'attention (post-LN encoder block, 2 heads)',
    build: attentionModel,
    input: () => ({ values: Int32Array.from({ length: BATCH * TIME }, () => rng.int(0, VOCAB - 1)), shape: [BATCH, TIME] }),
  },
];

const TIME = 6;
const VOCAB = 20;
const D_MODEL = 8;
const HEADS = 2;

/**
 * The BENCHMARKS.md transformer, small: token + position embedding, one post-LN encoder block
 * (2 heads, q/k/v/o projections with bias except k: a key bias adds the same score to every key of a
 * query, so softmax cancels it and its gradient is exactly zero, nothing to compare), FFN with
 * tanh-GELU, mean over time, dense.
 */
function attentionModel(): Model {
  const v = (shape: number[]) => tf.variable(tf.zeros(shape));
  const p = {
    tokens: v([VOCAB, D_MODEL]), positions: v([TIME, D_MODEL]),
    wq: v([D_MODEL, D_MODEL]), bq: v([D_MODEL]), wk: v([D_MODEL, D_MODEL]),
    wv: v([D_MODEL, D_MODEL]), bv: v([D_MODEL]), wo: v([D_MODEL, D_MODEL]), bo: v([D_MODEL]),
    g1: v([D_MODEL]), b1: v([D_MODEL]), w1: v([D_MODEL, 16]), c1: v([16]), w2: v([16, D_MODEL]), c2: v([D_MODEL]),
    g2: v([D_MODEL]), b2: v([D_MODEL]), wOut: v([D_MODEL, CLASSES]), bOut: v([CLASSES]),
  };
  const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
  const layerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
  };
  const gelu = (x: tf.Tensor) =>
    tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
  const heads = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [-1, TIME, HEADS, D_MODEL / HEADS]), [0, 2, 1, 3]); // [b, h, t, dh]
  return {
    variables: Object.values(p),
    apply: (ids) => {
      const rows = ids.shape[0]! * TIME;
      const x = tf.reshape(tf.add(tf.gather(p.tokens, ids), p.positions), [rows, D_MODEL]); // [b*t, d]
      const q = heads(dense(x, p.wq, p.bq));
      const k = heads(tf.matMul(x, p.wk));
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(D_MODEL / HEADS)); // [b, h, t, t]
      const context = tf.matMul(tf.softmax(scores), heads(dense(x, p.wv, p.bv))); // [b, h, t, dh]
      const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [rows, D_MODEL]);
      const h = layerNorm(tf.add(x, dense(merged, p.wo, p.bo)), p.g1, p.b1);
      const out = layerNorm(tf.add(h, dense(gelu(dense(h, p.w1, p.c1)), p.w2, p.c2)), p.g2, p.b2);
      return dense(tf.mean(tf.reshape(out, [-1, TIME, D_MODEL]), 1), p.wOut, p.bOut);
    },
    dispose: () => tf.dispose(Object.values(p)),
  };
}

/** Random weights for every variable of `model` (no zeros: biases too), fan-in scaled. */
function randomWeights(model: Model): Array<{ values: Float32Array; shape: number[] }> {
  const weights = model.variables.map((w) => {
    const fanIn = w.shape.length > 1 ? w.size / w.shape.at(-1)! : 10;
    return { values: randn(w.shape).map((v) => v / Math.sqrt(fanIn)), shape: w.shape };
  });
  model.dispose();
  return weights;
}

/** The gradient of the loss with respect to each trainable weight, in order, on `backend`. */
async function weightGradients(
  backend: 'cpu' | 'wasm',
  family: Family,
  weights: Array<{ values: Float32Array; shape: number[] }>,
  input: { values: Float32Array | Int32Array; shape: number[] },
  labels: Float32Array,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = family.build();
  model.variables.forEach((v, i) => v.assign(tf.tensor(weights[i]!.values, weights[i]!.shape)));
  const x = tf.tensor(input.values, input.shape, input.values instanceof Int32Array ? 'int32' : 'float32');
  const y = tf.tensor2d(labels, [BATCH, CLASSES]);
  const variables = model.variables;
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
    variables,
  );
  const out = variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
  tf.dispose([value, x, y, ...Object.values(grads)]);
  model.dispose();
  return out;
}

describe('weight gradients on wasm with our kernels match the cpu backend', () => {
  for (const family of families) {
    it(family.name, async () => {
      await tf.setBackend('cpu');
      const weights = randomWeights(family.build());
      const input = family.input();
      const labels = new Float32Array(BATCH * CLASSES);
      for (let b = 0; b < BATCH; b++) labels[b * CLASSES + rng.int(0, CLASSES - 1)] = 1;
      const expected = await weightGradients('cpu', family, weights, input, labels);
      const actual = await weightGradients('wasm', family, weights, input, labels);
      expect(actual.length).toBe(expected.length);
      const errors = actual.map((g, i) => relativeError(g, expected[i]!));
      expect(Math.max(...errors), `seed ${SEED}, errors per weight ${errors.join(', ')}`).toBeLessThanOrEqual(1e-5);
    });
  }

  it('TRAINING_KERNELS lists every kernel these steps and Adam / SGD updates run, and wasm has them all', async () => {
    await tf.setBackend('cpu');
    const used = new Set<string>();
    for (const family of families) {
      const weights = randomWeights(family.build());
      const profile = await tf.profile(() =>
        weightGradients('cpu', family, weights, family.input(), new Float32Array(BATCH * CLASSES).fill(1 / CLASSES)),
      );
      // Names ending in __op are custom-gradient scopes (fusedMatMul__op), not kernels.
      for (const name of profile.kernelNames) if (!name.endsWith('__op')) used.add(name);
    }
    for (const optimizer of [tf.train.adam(1e-3), tf.train.sgd(0.1), tf.train.momentum(0.1, 0.9)]) {
      const w = tf.variable(tf.tensor1d(randn([5])));
      const profile = await tf.profile(() => optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d(randn([5])) }]));
      for (const name of profile.kernelNames) used.add(name);
      w.dispose();
    }
    expect([...used].filter((k) => !TRAINING_KERNELS.includes(k)).sort()).toEqual([]);
    expect(TRAINING_KERNELS.filter((k) => tf.getKernel(k, 'wasm') === undefined)).toEqual([]);
  });
});
