import { join } from 'node:path';
import type { DataConfigInput } from '@omnitrain/data';
import type { DigitsOptionsInput } from './datasets/digits/digits-options.js';
import { DIGITS_MANIFEST } from './datasets/digits/build-digits.js';
import type { FeaturesConfigInput } from './featurize/features-config.js';
import type { ModelConfigInput } from './model/model-config.js';

/** Options of {@link digitsRunConfig}. */
export interface DigitsRunConfigOptions {
  /** Folder of the digits dataset (built there by buildDigits if needed). Default `data/digits`. */
  dataDir?: string;
  /** Seed of the dataset, splits, shuffles, augmentation and initialization. Default 0. */
  seed?: number;
  /** Modalities the model reads. Default all three; one gives the single-modality baseline. */
  modalities?: ModelConfigInput['modalities'];
}

/** The sections of the digits demo's run config, as plain JSON. */
export interface DigitsRunConfig {
  /** buildDigits options (without onProgress): where the dataset goes and what it holds. */
  dataset: DigitsOptionsInput & { outDir: string };
  /** data's DataConfig: the manifest, global batch size, seed, prefetching. */
  data: DataConfigInput;
  /** The featurization (see featuresConfigSchema). */
  features: FeaturesConfigInput;
  /** The model (see modelConfigSchema); encoder input sizes are filled by fillInputShapes. */
  model: ModelConfigInput;
  /** optim's OptimConfig: Adam, lr 2e-3. */
  optim: { optimizer: { name: 'adam'; lr: number } };
  /** Training length and seed. */
  train: { epochs: number; seed: number };
}

/**
 * The default config sections of the digits demo (`omnitrain demo`): 1,500 tri-modal samples,
 * 28 x 28 images, 1 s of 8 kHz audio as 63 x 32 log-mels, 8 word ids; a small CNN, a 2D audio
 * CNN and a bag of embeddings fused by a gated head with modality dropout; Adam for 8 epochs.
 * Sized to train in about 2-3 minutes on 2 cores with the wasm backend and its training kernels.
 *
 * @param options Dataset folder, seed, modalities.
 * @example
 * const run = digitsRunConfig({ dataDir: 'data/digits' });
 * await buildDigits({ ...run.dataset });
 * const model = new MultimodalModel(fillInputShapes(run.model, featurizer));
 */
export function digitsRunConfig(options: DigitsRunConfigOptions = {}): DigitsRunConfig {
  const dataDir = options.dataDir ?? 'data/digits';
  const seed = options.seed ?? 0;
  return {
    dataset: { outDir: dataDir, samplesPerClass: 150, seed },
    data: {
      manifest: join(dataDir, DIGITS_MANIFEST),
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      seed,
      batchSize: 32,
      prefetch: { depth: 4, concurrency: 2 },
    },
    features: {
      image: { size: [28, 28], channels: 1, augment: [{ kind: 'random-rotation', degrees: 10 }] },
      audio: {
        sampleRate: 8000,
        durationSec: 1,
        nFft: 256,
        hopLength: 128,
        nMels: 32,
        augment: [{ kind: 'time-shift', maxSeconds: 0.1, fill: 'zero' }],
      },
      text: { tokenizer: { kind: 'vocab', level: 'word' }, maxLength: 8 },
      seed,
    },
    model: {
      modalities: options.modalities ?? ['image', 'audio', 'text'],
      encoders: {
        image: { name: 'cnn', filters: [8, 16] },
        audio: { name: 'audio-conv2d', filters: [8, 16], poolLast: true, head: 'flatten' },
        text: { name: 'bag-of-embeddings', embeddingDim: 32 },
      },
      fusion: { name: 'gated', hiddenDim: 64, modalityDropout: 0.2 },
      numClasses: 10,
      seed,
    },
    optim: { optimizer: { name: 'adam', lr: 2e-3 } },
    train: { epochs: 8, seed },
  };
}
