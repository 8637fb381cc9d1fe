import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';

const encoderSchema = (modality: string, example: string) =>
  z
    .looseObject({ name: z.string().min(1).describe('The registered encoder name.') })
    .optional()
    .describe(`The ${modality} encoder's config for @omnitrain/encoders encoderFromConfig, e.g. ${example}. Required when "${modality}" is used.`);

/**
 * The schema of {@link ModelConfig}: the modalities used, one encoder config per modality, the
 * fusion head and the number of classes. Encoder configs are validated by their own encoder's
 * schema when the model is built; `fillInputShapes` fills their input sizes from a featurizer.
 */
export const modelConfigSchema = z
  .strictObject({
    name: z.literal('multimodal').default('multimodal').describe('The model kind. Default "multimodal".'),
    modalities: z
      .array(z.enum(['image', 'audio', 'text']))
      .min(1)
      .refine((m) => new Set(m).size === m.length, 'each modality once')
      .describe('The modalities the model reads, e.g. ["image", "audio", "text"]; one entry makes a single-modality model. Required.'),
    encoders: z
      .strictObject({
        image: encoderSchema('image', '{ name: "cnn", filters: [16, 32] }'),
        audio: encoderSchema('audio', '{ name: "audio-conv2d", filters: [16, 32] }'),
        text: encoderSchema('text', '{ name: "bag-of-embeddings", embeddingDim: 32 }'),
      })
      .describe('Encoder config per modality (inputShape / vocabSize / sequenceLength may be left to fillInputShapes).'),
    fusion: z
      .looseObject({ name: z.string().min(1).describe('The registered fusion head name.') })
      .describe(
        'The fusion head for @omnitrain/fusion fusionFromConfig, without modalities and outDim (taken from the encoders and numClasses), e.g. { name: "gated", hiddenDim: 32, modalityDropout: 0.2 }. Required.',
      ),
    numClasses: z.int().min(2).describe('Number of classes (the logits\' width). Required.'),
    seed: z
      .int()
      .nonnegative()
      .default(0)
      .describe('Seeds every encoder and the fusion head that has no seed of its own, so one config builds one set of initial weights. Default 0.'),
  })
  .refine((c) => c.modalities.every((m) => c.encoders[m] !== undefined), {
    message: 'give an encoder for every used modality',
    path: ['encoders'],
  });

/** A validated model config. */
export type ModelConfig = z.output<typeof modelConfigSchema>;
/** {@link ModelConfig} as written, defaults optional. */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/**
 * Validates a model config and fills in its defaults.
 *
 * @param input The plain JSON (a run config's `model` section).
 * @param source Named in errors. Default none.
 * @throws ConfigError listing every problem.
 * @example parseModelConfig({ modalities: ['image'], encoders: { image: { name: 'cnn' } }, fusion: { name: 'early' }, numClasses: 10 })
 */
export function parseModelConfig(input: unknown, source?: string): ModelConfig {
  return loadConfigObject(input, modelConfigSchema, { source });
}
