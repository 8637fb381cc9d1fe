import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { pretrainedExtractorConfigSchema } from '@omnitrain/encoders';

/**
 * The schema of {@link PretrainedFeaturesConfig}: which modalities are read by a pretrained,
 * frozen feature extractor of @omnitrain/encoders instead of a trainable encoder, and by which one.
 * Audio reads WAV files through a transformers.js audio model (wav2vec2, HuBERT, WavLM).
 *
 * @example
 * pretrainedFeaturesConfigSchema.parse({ text: { type: 'use-lite' }, image: { type: 'mobilenet-v2', cacheDir: '.omnitrain/features' } });
 * pretrainedFeaturesConfigSchema.parse({ audio: { type: 'transformers', modality: 'audio', path: 'models/hubert-base-ls960', durationSec: 1 } });
 */
export const pretrainedFeaturesConfigSchema = z
  .strictObject({
    image: pretrainedExtractorConfigSchema
      .optional()
      .describe('Image extractor: `{ type: "mobilenet-v2" }` (1280-d) or `{ type: "transformers", modality: "image", path }`. Default: none.'),
    audio: pretrainedExtractorConfigSchema
      .optional()
      .describe(
        'Audio extractor: `{ type: "transformers", modality: "audio", path, durationSec? }` (a wav2vec2 / HuBERT / WavLM folder; WAV files mixed to mono, resampled to its sampling_rate, mean over frames). Default: none.',
      ),
    text: pretrainedExtractorConfigSchema
      .optional()
      .describe('Text extractor: `{ type: "use-lite" }` (512-d) or `{ type: "transformers", path, pooling }`. Default: none.'),
  })
  .describe('Per-modality pretrained, frozen feature extractors. Default: none.');

/** A validated pretrained-features config, defaults filled in. */
export type PretrainedFeaturesConfig = z.output<typeof pretrainedFeaturesConfigSchema>;
/** {@link PretrainedFeaturesConfig} as written. */
export type PretrainedFeaturesConfigInput = z.input<typeof pretrainedFeaturesConfigSchema>;

/**
 * Validates a pretrained-features config and fills in its defaults.
 *
 * @param input The plain JSON (e.g. a run config's `features.pretrained` section).
 * @param source Named in errors. Default none.
 * @throws ConfigError listing every problem (an unknown modality or extractor type among them).
 * @example parsePretrainedFeaturesConfig({ text: { type: 'use-lite' } }).text?.batchSize // 32
 */
export function parsePretrainedFeaturesConfig(input: unknown, source?: string): PretrainedFeaturesConfig {
  return loadConfigObject(input, pretrainedFeaturesConfigSchema, { source });
}
