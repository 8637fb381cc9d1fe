// The only file of @omnitrain/encoders that imports transformers.js.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ConfigError } from '@omnitrain/core';
import { encodePng, floatImage } from '@omnitrain/image';
import type { FeatureExtractor } from './feature-extractor.js';

/** Options of {@link transformersExtractor}. */
export interface TransformersExtractorOptions {
  /** The model folder: config.json, onnx/model.onnx (or model_quantized.onnx), tokenizer.json (text) or preprocessor_config.json (image). */
  path: string;
  /** What the model reads. Default `text`. */
  modality?: 'text' | 'image';
  /** Text: mean over tokens (by attention mask) or the first token. Default `mean`. */
  pooling?: 'mean' | 'cls';
  /** Scale every vector to unit length. Default false. */
  normalize?: boolean;
  /** Load onnx/model_quantized.onnx. Default false. */
  quantized?: boolean;
  /** Inputs run at once. Default 32. */
  batchSize?: number;
}

type Pipeline = (inputs: string[], options?: Record<string, unknown>) => Promise<{ dims: number[]; data: Float32Array }>;

let queue: Promise<unknown> = Promise.resolve();

/**
 * A transformers.js model folder on disk as a frozen feature extractor: text models through the
 * `feature-extraction` pipeline (mean or CLS pooling), vision models through
 * `image-feature-extraction` (the model's pooled or first-token output, flattened). Remote loading
 * is always off (`env.allowRemoteModels = false`, `local_files_only`): a folder that lacks a file
 * fails with transformers.js' error, never a download.
 *
 * @param options The folder and how to pool.
 * @returns The extractor (`id` transformers:<folder name>; its dimension found from a first input).
 * @throws ConfigError naming the folder when it has no config.json or no ONNX model.
 *
 * @example
 * const minilm = await transformersExtractor({ path: 'models/all-MiniLM-L6-v2', pooling: 'mean', normalize: true });
 * const [v] = await minilm.extract(['a sentence']);
 */
export async function transformersExtractor(options: TransformersExtractorOptions): Promise<FeatureExtractor> {
  const folder = resolve(options.path);
  const modality = options.modality ?? 'text';
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? false;
  const quantized = options.quantized ?? false;
  const batchSize = options.batchSize ?? 32;
  const onnxFile = join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  for (const needed of [join(folder, 'config.json'), onnxFile]) {
    if (!existsSync(needed)) {
      throw new ConfigError({
        op: 'encoders.transformersExtractor',
        expected: 'a transformers.js model folder (config.json, onnx/model.onnx, tokenizer.json or preprocessor_config.json)',
        received: `no ${needed.slice(folder.length + 1)}`,
        where: `folder ${folder}`,
        hint: quantized ? 'set quantized: false to use onnx/model.onnx' : 'export the model with Optimum (optimum-cli export onnx) into this layout',
      });
    }
  }
  // Everything in the folder that decides the output: the graph, the config, and how inputs are
  // tokenized or preprocessed (a changed tokenizer must not hit features cached with the old one).
  const hash = createHash('sha256').update(await readFile(onnxFile)).update(await readFile(join(folder, 'config.json')));
  for (const name of ['tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) {
    if (existsSync(join(folder, name))) hash.update(`\0${name}\0`).update(await readFile(join(folder, name)));
  }
  const fingerprint = hash.digest('hex').slice(0, 16);
  const { pipeline, env } = await import('@xenova/transformers');
  const task = modality === 'text' ? 'feature-extraction' : 'image-feature-extraction';
  // transformers.js resolves model names against one global folder: load one model at a time.
  const run = queue.then(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.useBrowserCache = false;
    env.localModelPath = dirname(folder) + sep;
    return (await pipeline(task, basename(folder), { quantized, local_files_only: true })) as unknown as Pipeline & { dispose(): Promise<void> };
  });
  queue = run.catch(() => undefined);
  const extractor = await run;
  let outputDim = -1;
  const self: FeatureExtractor = {
    id: `transformers:${basename(folder)}`,
    modality,
    get outputDim() {
      return outputDim;
    },
    cacheKey: `transformers:${fingerprint}:${modality}:${pooling}:${normalize}:${quantized}`,
    async extract(items) {
      const out: Float32Array[] = [];
      for (let at = 0; at < items.length; at += batchSize) {
        const chunk = [...items.slice(at, at + batchSize)];
        const result = modality === 'text' ? await extractor(chunk, { pooling, normalize }) : await extractor(chunk, {});
        const rows = result.dims[0]!;
        const width = result.data.length / rows;
        for (let i = 0; i < rows; i++) {
          const v = result.data.slice(i * width, (i + 1) * width);
          out.push(modality === 'image' && normalize ? unit(v) : v);
        }
        outputDim = width;
      }
      return out;
    },
    dispose() {
      void extractor.dispose?.();
    },
  };
  // The dimension is whatever the model gives: found by one call, so users see it before extracting.
  if (modality === 'text') await self.extract(['a']);
  else await probeImage(self);
  return self;
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return n === 0 ? v : v.map((x) => x / n);
}

/** Runs one gray 224 x 224 image (the usual processor size) through an image model to learn its output dimension. */
async function probeImage(extractor: FeatureExtractor): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'omnitrain-probe-'));
  try {
    const file = join(dir, 'probe.png');
    await writeFile(file, await encodePng(floatImage([224, 224, 3], new Float32Array(224 * 224 * 3).fill(0.5))));
    await extractor.extract([file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
