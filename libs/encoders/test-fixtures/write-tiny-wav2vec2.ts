// Writes a tiny wav2vec2-like audio model folder in the transformers.js layout (config.json,
// preprocessor_config.json for Wav2Vec2FeatureExtractor, onnx/model.onnx), generated in-process with
// onnx-proto in milliseconds, with weights drawn from a seed:
//   input_values [b, n] -> Conv1d(1 -> C1, kernel K1, stride S1) + GELU (tanh form)
//   -> Conv1d(C1 -> C2, kernel K2, stride S2) + GELU -> transpose [b, T, C2] -> x P + p = last_hidden_state [b, T, D]
// (wav2vec2's convolutional feature encoder and feature projection, without the Transformer).
// `tinyWav2vec2Forward` is the same network in plain loops: the oracle of the extractor tests.
// Run as a script (`node --import <ts hook> write-tiny-wav2vec2.ts <root> <name> <seed>`) it writes
// the folder, which is how the committed fixture tiny-wav2vec2/ (seed 20261128) was made.
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The shape of the network: two strided convolutions and a projection. */
export const TINY_WAV2VEC2 = { k1: 10, s1: 5, c1: 8, k2: 3, s2: 2, c2: 8, dim: 16, samplingRate: 16_000 } as const;

/** The seed of the committed folder `test-fixtures/tiny-wav2vec2` (used by the CLI test). */
export const COMMITTED_SEED = 20261128;

/** What {@link writeTinyWav2vec2} wrote: the folder and the weights to recompute features from. */
export interface TinyWav2vec2 {
  folder: string;
  /** Conv 1 weights [c1, 1, k1] and bias [c1]. */
  w1: Float32Array;
  b1: Float32Array;
  /** Conv 2 weights [c2, c1, k2] and bias [c2]. */
  w2: Float32Array;
  b2: Float32Array;
  /** Projection [c2, dim] and bias [dim]. */
  p: Float32Array;
  pb: Float32Array;
  /** preprocessor_config.json's do_normalize. */
  doNormalize: boolean;
}

/**
 * Writes the model folder `<root>/<name>` with weights from `seed`.
 *
 * @param doNormalize The processor's zero-mean unit-variance normalization. Default true (as wav2vec2-base).
 * @example
 * const model = await writeTinyWav2vec2(tmp, 'tiny-wav2vec2', 7);
 */
export async function writeTinyWav2vec2(root: string, name: string, seed: number, doNormalize = true): Promise<TinyWav2vec2> {
  const { onnx } = require('onnx-proto') as typeof import('onnx-proto');
  const { k1, s1, c1, k2, s2, c2, dim, samplingRate } = TINY_WAV2VEC2;
  let s = seed >>> 0 || 1;
  const rand = (scale: number) => () => (((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1) * scale;
  const model: TinyWav2vec2 = {
    folder: join(root, name),
    w1: Float32Array.from({ length: c1 * k1 }, rand(0.6)),
    b1: Float32Array.from({ length: c1 }, rand(0.1)),
    w2: Float32Array.from({ length: c2 * c1 * k2 }, rand(0.4)),
    b2: Float32Array.from({ length: c2 }, rand(0.1)),
    p: Float32Array.from({ length: c2 * dim }, rand(0.5)),
    pb: Float32Array.from({ length: dim }, rand(0.1)),
    doNormalize,
  };
  await mkdir(join(model.folder, 'onnx'), { recursive: true });
  await writeFile(
    join(model.folder, 'config.json'),
    `${JSON.stringify({ model_type: 'wav2vec2', architectures: ['Wav2Vec2Model'], hidden_size: dim, conv_dim: [c1, c2], conv_kernel: [k1, k2], conv_stride: [s1, s2], feat_extract_activation: 'gelu_new', num_hidden_layers: 0 }, null, 2)}\n`,
  );
  await writeFile(
    join(model.folder, 'preprocessor_config.json'),
    `${JSON.stringify({ feature_extractor_type: 'Wav2Vec2FeatureExtractor', feature_size: 1, sampling_rate: samplingRate, do_normalize: doNormalize, padding_side: 'right', padding_value: 0, return_attention_mask: false }, null, 2)}\n`,
  );
  const F = onnx.TensorProto.DataType.FLOAT;
  const tensor = (name: string, dims: number[], data: Float32Array) =>
    onnx.TensorProto.create({ name, dims, dataType: F, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  const io = (name: string, dims: Array<number | string>) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  const ints = (name: string, values: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
  const node = (opType: string, input: string[], output: string, attribute: ReturnType<typeof ints>[] = []) =>
    onnx.NodeProto.create({ opType, input, output: [output], attribute, name: output });
  // GELU, tanh form: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
  const gelu = (x: string, out: string) => [
    node('Mul', [x, x], `${out}_x2`),
    node('Mul', [`${out}_x2`, x], `${out}_x3`),
    node('Mul', [`${out}_x3`, 'gelu_a'], `${out}_ax3`),
    node('Add', [x, `${out}_ax3`], `${out}_in`),
    node('Mul', [`${out}_in`, 'gelu_c'], `${out}_sc`),
    node('Tanh', [`${out}_sc`], `${out}_t`),
    node('Add', [`${out}_t`, 'one'], `${out}_t1`),
    node('Mul', [x, 'half'], `${out}_hx`),
    node('Mul', [`${out}_hx`, `${out}_t1`], out),
  ];
  const scalar = (name: string, v: number) => tensor(name, [], Float32Array.of(v));
  const graph = onnx.GraphProto.create({
    name: 'tiny-wav2vec2',
    initializer: [
      tensor('W1', [c1, 1, k1], model.w1),
      tensor('B1', [c1], model.b1),
      tensor('W2', [c2, c1, k2], model.w2),
      tensor('B2', [c2], model.b2),
      tensor('P', [c2, dim], model.p),
      tensor('PB', [dim], model.pb),
      scalar('gelu_a', 0.044715),
      scalar('gelu_c', Math.sqrt(2 / Math.PI)),
      scalar('one', 1),
      scalar('half', 0.5),
    ],
    input: [io('input_values', ['batch', 'samples'])],
    output: [io('last_hidden_state', ['batch', 'frames', dim])],
    node: [
      node('Unsqueeze', ['input_values'], 'x', [ints('axes', [1])]), // [b, 1, n]
      node('Conv', ['x', 'W1', 'B1'], 'conv1', [ints('kernel_shape', [k1]), ints('strides', [s1])]), // [b, c1, t1]
      ...gelu('conv1', 'h1'),
      node('Conv', ['h1', 'W2', 'B2'], 'conv2', [ints('kernel_shape', [k2]), ints('strides', [s2])]), // [b, c2, t2]
      ...gelu('conv2', 'h2'),
      node('Transpose', ['h2'], 'frames', [ints('perm', [0, 2, 1])]), // [b, t2, c2]
      node('MatMul', ['frames', 'P'], 'projected'), // [b, t2, dim]
      node('Add', ['projected', 'PB'], 'last_hidden_state'),
    ],
  });
  const proto = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 12 }], producerName: 'omnitrain-test', graph });
  await writeFile(join(model.folder, 'onnx', 'model.onnx'), onnx.ModelProto.encode(proto).finish());
  return model;
}

/**
 * The tiny network in plain float64 loops: `last_hidden_state` [frames, dim] of one clip of
 * `input_values` (already normalized by the processor, if it normalizes).
 *
 * @example
 * const hidden = tinyWav2vec2Forward(model, pcm); // hidden.length === frames * 16
 */
export function tinyWav2vec2Forward(model: TinyWav2vec2, input: Float32Array): { frames: number; hidden: Float64Array } {
  const { k1, s1, c1, k2, s2, c2, dim } = TINY_WAV2VEC2;
  const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  const t1 = Math.floor((input.length - k1) / s1) + 1;
  const h1 = new Float64Array(c1 * t1); // [c1, t1]
  for (let c = 0; c < c1; c++) {
    for (let t = 0; t < t1; t++) {
      let acc = model.b1[c]!;
      for (let k = 0; k < k1; k++) acc += model.w1[c * k1 + k]! * input[t * s1 + k]!;
      h1[c * t1 + t] = gelu(acc);
    }
  }
  const t2 = Math.floor((t1 - k2) / s2) + 1;
  const h2 = new Float64Array(t2 * c2); // [t2, c2]
  for (let o = 0; o < c2; o++) {
    for (let t = 0; t < t2; t++) {
      let acc = model.b2[o]!;
      for (let c = 0; c < c1; c++) for (let k = 0; k < k2; k++) acc += model.w2[(o * c1 + c) * k2 + k]! * h1[c * t1 + t * s2 + k]!;
      h2[t * c2 + o] = gelu(acc);
    }
  }
  const hidden = new Float64Array(t2 * dim);
  for (let t = 0; t < t2; t++) {
    for (let d = 0; d < dim; d++) {
      let acc = model.pb[d]!;
      for (let c = 0; c < c2; c++) acc += h2[t * c2 + c]! * model.p[c * dim + d]!;
      hidden[t * dim + d] = acc;
    }
  }
  return { frames: t2, hidden };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [root, name, seed] = process.argv.slice(2);
  await writeTinyWav2vec2(root ?? '.', name ?? 'tiny-wav2vec2', Number(seed ?? COMMITTED_SEED));
}
