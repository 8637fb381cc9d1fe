// The only file of @omnitrain/encoders that imports transformers.js.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ConfigError, DataError } from '@omnitrain/core';
import { encodePng, floatImage } from '@omnitrain/image';
import type { AudioLoader } from './audio-loader.js';
import type { FeatureExtractor } from './feature-extractor.js';

/** Options of {@link transformersExtractor}. */
export interface TransformersExtractorOptions {
  /**
   * The model folder: config.json, onnx/model.onnx (or model_quantized.onnx), and tokenizer.json
   * (text) or preprocessor_config.json (image, audio).
   */
  path: string;
  /** What the model reads. Default `text`. */
  modality?: 'text' | 'image' | 'audio';
  /** Text: mean over tokens (by attention mask) or the first token. Audio: `mean` only (over frames). Default `mean`. */
  pooling?: 'mean' | 'cls';
  /** Scale every vector to unit length. Default false. */
  normalize?: boolean;
  /** Load onnx/model_quantized.onnx. Default false. */
  quantized?: boolean;
  /** Text and image inputs run at once. Default 32 (audio clips run one at a time). */
  batchSize?: number;
  /** Audio: how a file becomes mono samples at the model's rate. Required with modality `audio`. */
  audioLoader?: AudioLoader;
  /** Audio: each clip is cut or zero-padded at its end to this many seconds. Default: the whole clip. */
  durationSec?: number;
}

type Pipeline = (inputs: string[], options?: Record<string, unknown>) => Promise<{ dims: number[]; data: Float32Array }>;
type Transformers = typeof import('@xenova/transformers');

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `load` with transformers.js pointed at the folder's parent, remote loading off. transformers.js
 * resolves model names against one global folder: models load one at a time.
 */
function loadFromFolder<T>(folder: string, load: (t: Transformers, name: string) => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    const t = await import('@xenova/transformers');
    t.env.allowRemoteModels = false;
    t.env.allowLocalModels = true;
    t.env.useFSCache = false;
    t.env.useBrowserCache = false;
    t.env.localModelPath = dirname(folder) + sep;
    return load(t, basename(folder));
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * A transformers.js model folder on disk as a frozen feature extractor: text models through the
 * `feature-extraction` pipeline (mean or CLS pooling), vision models through
 * `image-feature-extraction` (the model's pooled or first-token output, flattened), audio models
 * (wav2vec2, HuBERT, WavLM: `AutoProcessor` + `AutoModel`) one clip at a time: the `audioLoader`
 * reads the file as mono samples at the processor's `sampling_rate` (preprocessor_config.json),
 * the processor normalizes them as configured (`do_normalize`: zero mean, unit variance), and the
 * vector is the mean of `last_hidden_state` over its frames (a pooler output, if the model has one,
 * is not used; clips are never padded together, so no frame of padding enters the mean). Remote
 * loading is always off (`env.allowRemoteModels = false`, `local_files_only`): a folder that lacks
 * a file fails with transformers.js' error, never a download.
 *
 * @param options The folder, how to pool; for audio the loader and clip duration.
 * @returns The extractor (`id` transformers:<folder name>; its dimension found from a first input).
 * @throws ConfigError naming the folder when it has no config.json or no ONNX model (audio: no
 *   preprocessor_config.json, no `last_hidden_state` output), or audio without an `audioLoader`.
 *
 * @example
 * const minilm = await transformersExtractor({ path: 'models/all-MiniLM-L6-v2', pooling: 'mean', normalize: true });
 * const [v] = await minilm.extract(['a sentence']);
 * const hubert = await transformersExtractor({ path: 'models/hubert-base-ls960', modality: 'audio', audioLoader: wavAudioLoader() });
 * const [clip] = await hubert.extract(['clips/0042.wav']); // Float32Array(768)
 */
export async function transformersExtractor(options: TransformersExtractorOptions): Promise<FeatureExtractor> {
  const folder = resolve(options.path);
  const modality = options.modality ?? 'text';
  const quantized = options.quantized ?? false;
  checkFolder(folder, modality, quantized);
  checkAudioOptions(folder, options);
  const fingerprint = await folderFingerprint(folder, quantized);
  return modality === 'audio'
    ? audioExtractor(folder, fingerprint, options as TransformersExtractorOptions & { audioLoader: AudioLoader })
    : pipelineExtractor(folder, fingerprint, { ...options, modality });
}

function checkFolder(folder: string, modality: 'text' | 'image' | 'audio', quantized: boolean): void {
  const onnxFile = join('onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  for (const needed of ['config.json', onnxFile, ...(modality === 'audio' ? ['preprocessor_config.json'] : [])]) {
    if (!existsSync(join(folder, needed))) {
      throw new ConfigError({
        op: 'encoders.transformersExtractor',
        expected: 'a transformers.js model folder (config.json, onnx/model.onnx, tokenizer.json or preprocessor_config.json)',
        received: `no ${needed}`,
        where: `folder ${folder}`,
        hint:
          needed === onnxFile && quantized
            ? 'set quantized: false to use onnx/model.onnx'
            : needed === 'preprocessor_config.json'
              ? 'an audio model needs its feature extractor settings (sampling_rate, do_normalize) in preprocessor_config.json'
              : 'export the model with Optimum (optimum-cli export onnx) into this layout',
      });
    }
  }
}

function checkAudioOptions(folder: string, options: TransformersExtractorOptions): void {
  const audio = options.modality === 'audio';
  const problem = audio
    ? options.audioLoader === undefined
      ? ['an audioLoader (how a file becomes mono samples at the model\'s rate)', 'none', 'pass audioLoader, e.g. wavAudioLoader() of @omnitrain/multimodal (built on @omnitrain/audio\'s loadWav)']
      : options.pooling === 'cls'
        ? ['pooling "mean" for audio (the mean of last_hidden_state over frames)', 'pooling "cls"', 'leave pooling out']
        : options.durationSec !== undefined && !(options.durationSec > 0)
          ? ['durationSec > 0', String(options.durationSec), 'leave durationSec out to use whole clips']
          : undefined
    : options.durationSec !== undefined || options.audioLoader !== undefined
      ? ['durationSec and audioLoader only with modality "audio"', `modality ${options.modality ?? 'text'}`, 'remove them, or set modality: audio']
      : undefined;
  if (problem) {
    throw new ConfigError({ op: 'encoders.transformersExtractor', expected: problem[0]!, received: problem[1]!, where: `folder ${folder}`, hint: problem[2] });
  }
}

/**
 * Everything in the folder that decides the output: the graph, the config, and how inputs are
 * tokenized or preprocessed (a changed tokenizer must not hit features cached with the old one).
 */
async function folderFingerprint(folder: string, quantized: boolean): Promise<string> {
  const onnxFile = join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  const hash = createHash('sha256').update(await readFile(onnxFile)).update(await readFile(join(folder, 'config.json')));
  for (const name of ['tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) {
    if (existsSync(join(folder, name))) hash.update(`\0${name}\0`).update(await readFile(join(folder, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function pipelineExtractor(folder: string, fingerprint: string, options: TransformersExtractorOptions & { modality: 'text' | 'image' }): Promise<FeatureExtractor> {
  const { modality } = options;
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? false;
  const quantized = options.quantized ?? false;
  const batchSize = options.batchSize ?? 32;
  const task = modality === 'text' ? 'feature-extraction' : 'image-feature-extraction';
  const extractor = await loadFromFolder(
    folder,
    async (t, name) => (await t.pipeline(task, name, { quantized, local_files_only: true })) as unknown as Pipeline & { dispose(): Promise<void> },
  );
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

type AudioParts = {
  processor: (audio: Float32Array) => Promise<Record<string, unknown>>;
  model: ((inputs: Record<string, unknown>) => Promise<Record<string, { dims: number[]; data: Float32Array } | undefined>>) & { dispose(): Promise<unknown> };
  sampleRate: number;
};

async function audioExtractor(folder: string, fingerprint: string, options: TransformersExtractorOptions & { audioLoader: AudioLoader }): Promise<FeatureExtractor> {
  const normalize = options.normalize ?? false;
  const quantized = options.quantized ?? false;
  const { audioLoader: loader, durationSec } = options;
  const { processor, model, sampleRate } = await loadFromFolder(folder, async (t, name): Promise<AudioParts> => {
    const processor = await t.AutoProcessor.from_pretrained(name, { local_files_only: true });
    const model = await t.AutoModel.from_pretrained(name, { quantized, local_files_only: true });
    const sampleRate = Number((processor as unknown as { feature_extractor: { config: { sampling_rate?: unknown } } }).feature_extractor.config.sampling_rate);
    return { processor: processor as unknown as AudioParts['processor'], model: model as unknown as AudioParts['model'], sampleRate };
  });
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) {
    void model.dispose();
    throw new ConfigError({
      op: 'encoders.transformersExtractor',
      expected: 'preprocessor_config.json with an integer sampling_rate (Hz)',
      received: String(sampleRate),
      where: `folder ${folder}`,
    });
  }
  /** Mean of last_hidden_state [1, frames, dim] over frames (float64 sums). */
  const embed = async (samples: Float32Array, where: string): Promise<Float32Array> => {
    const outputs = await model(await processor(samples));
    const hidden = outputs['last_hidden_state'];
    if (!hidden || hidden.dims.length !== 3) {
      throw new ConfigError({
        op: 'encoders.transformersExtractor',
        expected: 'an audio model with a last_hidden_state output [batch, frames, dim] (a feature-extraction export, AutoModel)',
        received: `outputs ${Object.keys(outputs).join(', ')}`,
        where: `folder ${folder} (${where})`,
        hint: 'export the base model (e.g. Wav2Vec2Model, HubertModel), not a CTC or classification head',
      });
    }
    const [, frames, dim] = hidden.dims as [number, number, number];
    const sums = new Float64Array(dim);
    for (let f = 0; f < frames; f++) for (let d = 0; d < dim; d++) sums[d]! += hidden.data[f * dim + d]!;
    const mean = Float32Array.from(sums, (v) => v / frames);
    return normalize ? unit(mean) : mean;
  };
  const self: FeatureExtractor = {
    id: `transformers:${basename(folder)}`,
    modality: 'audio',
    outputDim: (await embed(new Float32Array(sampleRate), 'a probe of 1 s of silence')).length,
    cacheKey: `transformers:${fingerprint}:audio:mean:${normalize}:${quantized}:rate=${sampleRate}:duration=${durationSec ?? 'whole'}:loader=${loader.id}`,
    async extract(items) {
      const out: Float32Array[] = [];
      for (const item of items) {
        const samples = await loader.load(item, { sampleRate, durationSec });
        const want = durationSec === undefined ? undefined : Math.round(durationSec * sampleRate);
        if (samples.length === 0 || (want !== undefined && samples.length !== want)) {
          throw new DataError({
            op: 'encoders.transformersExtractor',
            expected: want === undefined ? 'a clip with at least one sample' : `${want} samples (${durationSec} s at ${sampleRate} Hz) from audio loader ${loader.id}`,
            received: `${samples.length} samples`,
            where: `file ${item}`,
          });
        }
        out.push(await embed(samples, `file ${item}`).catch((error: unknown) => {
          if (error instanceof ConfigError) throw error;
          throw new DataError({
            op: 'encoders.transformersExtractor',
            expected: `a clip the model ${basename(folder)} can read`,
            received: `${samples.length} samples at ${sampleRate} Hz: ${(error as Error).message ?? String(error)}`,
            where: `file ${item}`,
            hint: 'a clip shorter than the model\'s receptive field (wav2vec2: 400 samples) cannot be embedded; set durationSec to pad clips',
            cause: error,
          });
        }));
      }
      return out;
    },
    dispose() {
      void model.dispose();
    },
  };
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
