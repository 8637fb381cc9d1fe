// Writes a tiny BERT-like model folder in the transformers.js layout (config.json, tokenizer.json,
// tokenizer_config.json, onnx/model.onnx), generated in-process with onnx-proto in milliseconds:
// last_hidden_state = tanh(E[input_ids] + T[token_type_ids]) * attention_mask (as float), so a test
// can compute the expected features by hand.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { writeWordPieceModel } from '@omnitrain/text';

const require = createRequire(import.meta.url);

/** What {@link writeTinyBert} wrote: the folder and the weights to recompute features from. */
export interface TinyBert {
  folder: string;
  vocab: string[];
  /** Token embedding table, row-major [vocab, dim]. */
  embeddings: Float32Array;
  /** Token-type embedding table, row-major [2, dim]. */
  typeEmbeddings: Float32Array;
  dim: number;
}

/**
 * Writes the model folder `<root>/<name>` with random weights from `seed`.
 *
 * @example
 * const bert = await writeTinyBert(tmp, 'tiny-bert', 7);
 */
export async function writeTinyBert(root: string, name: string, seed: number, dim = 8): Promise<TinyBert> {
  const { onnx } = require('onnx-proto') as typeof import('onnx-proto');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'dog', 'sat', 'on', 'mat', 'a', 'red', '##s', 'seven', 'three'];
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const embeddings = Float32Array.from({ length: vocab.length * dim }, rand);
  const typeEmbeddings = Float32Array.from({ length: 2 * dim }, rand);
  const folder = join(root, name);
  await writeWordPieceModel(folder, vocab, { modelMaxLength: 32 });
  await writeFile(join(folder, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: dim, vocab_size: vocab.length, architectures: ['BertModel'] }));
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const tensor = (name: string, dims: number[], data: Float32Array) =>
    onnx.TensorProto.create({ name, dims, dataType: F, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  const io = (name: string, type: number, dims: Array<number | string>) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
    });
  const node = (opType: string, input: string[], output: string[], attribute: ReturnType<typeof onnx.AttributeProto.create>[] = []) =>
    onnx.NodeProto.create({ opType, input, output, attribute, name: output[0] });
  const graph = onnx.GraphProto.create({
    name: 'tiny-bert',
    initializer: [tensor('E', [vocab.length, dim], embeddings), tensor('T', [2, dim], typeEmbeddings)],
    input: [io('input_ids', I64, ['batch', 'seq']), io('attention_mask', I64, ['batch', 'seq']), io('token_type_ids', I64, ['batch', 'seq'])],
    output: [io('last_hidden_state', F, ['batch', 'seq', dim])],
    node: [
      node('Gather', ['E', 'input_ids'], ['tok']),
      node('Gather', ['T', 'token_type_ids'], ['typ']),
      node('Add', ['tok', 'typ'], ['sum']),
      node('Tanh', ['sum'], ['act']),
      node('Cast', ['attention_mask'], ['maskf'], [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: F })]),
      node('Unsqueeze', ['maskf'], ['mask3'], [onnx.AttributeProto.create({ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [2] })]),
      node('Mul', ['act', 'mask3'], ['last_hidden_state']),
    ],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 12 }], producerName: 'omnitrain-test', graph });
  await mkdir(join(folder, 'onnx'), { recursive: true });
  await writeFile(join(folder, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
  return { folder, vocab, embeddings, typeEmbeddings, dim };
}

/**
 * Writes a tiny vision model folder `<root>/<name>` (model_type vit): pixel_values [b, 3, H, W]
 * (rescaled by 1/255, no resize, no normalization) -> last_hidden_state [b, 1, 3] = the mean of
 * each channel, so the expected features of an image are its channel means / 255.
 *
 * @example
 * const folder = await writeTinyVit(tmp, 'tiny-vit');
 */
export async function writeTinyVit(root: string, name: string): Promise<string> {
  const { onnx } = require('onnx-proto') as typeof import('onnx-proto');
  const folder = join(root, name);
  await mkdir(join(folder, 'onnx'), { recursive: true });
  await writeFile(join(folder, 'config.json'), JSON.stringify({ model_type: 'vit', hidden_size: 3, architectures: ['ViTModel'] }));
  await writeFile(
    join(folder, 'preprocessor_config.json'),
    JSON.stringify({ feature_extractor_type: 'ViTFeatureExtractor', do_resize: false, do_rescale: true, rescale_factor: 1 / 255, do_normalize: false, image_mean: [0, 0, 0], image_std: [1, 1, 1] }),
  );
  const F = onnx.TensorProto.DataType.FLOAT;
  const io = (name: string, dims: Array<number | string>) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  const ints = (name: string, values: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
  const int = (name: string, value: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
  const graph = onnx.GraphProto.create({
    name: 'tiny-vit',
    input: [io('pixel_values', ['batch', 3, 'height', 'width'])],
    output: [io('last_hidden_state', ['batch', 1, 3])],
    node: [
      onnx.NodeProto.create({ opType: 'ReduceMean', input: ['pixel_values'], output: ['means'], attribute: [ints('axes', [2, 3]), int('keepdims', 0)], name: 'mean' }),
      onnx.NodeProto.create({ opType: 'Unsqueeze', input: ['means'], output: ['last_hidden_state'], attribute: [ints('axes', [1])], name: 'unsqueeze' }),
    ],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 12 }], producerName: 'omnitrain-test', graph });
  await writeFile(join(folder, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
  return folder;
}
