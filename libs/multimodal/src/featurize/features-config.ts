import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { pretrainedExtractorConfigSchema } from '@omnitrain/encoders';
import { extractorModality } from '../pretrained/extractor-modality.js';

const augmentationList = (what: string) =>
  z
    .array(z.looseObject({ kind: z.string().min(1).describe('The registered kind.') }))
    .default([])
    .describe(`${what}, applied in order to training samples only, with a seeded stream per (epoch, sample). Default: none.`);

type Pretrainable = 'image' | 'audio' | 'text';

const EXTRACTORS_OF: Record<Pretrainable, string> = {
  image: '"mobilenet-v2", or "transformers" with modality: image',
  audio: '"transformers" with modality: audio',
  text: '"use-lite" or "transformers"',
};

const pretrainedField = (modality: Pretrainable, example: string) =>
  pretrainedExtractorConfigSchema
    .optional()
    .describe(
      `A pretrained, frozen feature extractor for ${modality}, e.g. ${example}: the input becomes its fixed-length vector, computed once per distinct input and cached on disk (its cacheDir, else <telemetry.runsDir>/.features in a run); the other ${modality} fields do not apply and augment must stay empty. Use a "vector" encoder for it. Default: none (the trainable path).`,
    );

/**
 * With `pretrained` set, the extractor reads the raw file or string itself: refuses augmentations
 * (the features are frozen and cached, augmenting would silently do nothing), fields changed from
 * their defaults (they would be ignored), and an extractor of another modality.
 */
function checkPretrained<T extends { pretrained?: z.output<typeof pretrainedExtractorConfigSchema>; augment?: unknown[] }>(
  modality: Pretrainable,
  defaults: Record<string, unknown>,
) {
  return (c: T, ctx: z.core.$RefinementCtx<T>): void => {
    if (c.pretrained === undefined) return;
    if (extractorModality(c.pretrained) !== modality) {
      ctx.addIssue({
        code: 'custom',
        path: ['pretrained', 'type'],
        message: `expected an extractor that reads ${modality} (${EXTRACTORS_OF[modality]})`,
      });
    }
    if (c.augment && c.augment.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['augment'],
        message: `expected no augmentation with ${modality}.pretrained: pretrained features are frozen and cached once per input, so augmentations cannot apply; remove augment (or pretrained)`,
      });
    }
    for (const [key, value] of Object.entries(defaults)) {
      if (JSON.stringify((c as Record<string, unknown>)[key]) !== JSON.stringify(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `expected ${key} to be left out with ${modality}.pretrained (the extractor reads the ${modality === 'text' ? 'text' : 'file'} itself, so it does not apply${modality === 'audio' ? '; the model\'s sampling_rate is used, and pretrained.durationSec fits the clips' : ''})`,
        });
      }
    }
  };
}

const IMAGE_DEFAULTS = { size: [28, 28], channels: 1, mean: [0.1307], std: [0.3081] };
const AUDIO_DEFAULTS = { sampleRate: 8000, durationSec: 1, nFft: 256, hopLength: 128, nMels: 32, topDb: 80, normalize: 'per-clip' };
const TEXT_DEFAULTS = { tokenizer: { kind: 'vocab', level: 'word', lowercase: true, minFrequency: 1 }, maxLength: 8 };

const imageFeaturesSchema = z
  .strictObject({
    size: z
      .tuple([z.int().positive(), z.int().positive()])
      .default([28, 28])
      .describe('[height, width] every image is resized to when decoded. Default [28, 28].'),
    channels: z.union([z.literal(1), z.literal(3)]).default(1).describe('1 (gray) or 3 (RGB). Default 1.'),
    mean: z.array(z.number()).min(1).max(3).default([0.1307]).describe('Per-channel mean subtracted after augmentation. Default [0.1307] (MNIST).'),
    std: z.array(z.number().positive()).min(1).max(3).default([0.3081]).describe('Per-channel std divided by. Default [0.3081] (MNIST).'),
    augment: augmentationList('Image transforms of @omnitrain/image (`{ kind: "random-rotation", degrees: 10 }`, ...)'),
    pretrained: pretrainedField('image', '{ type: "mobilenet-v2" } (1280-d)'),
  })
  .refine((c) => c.mean.length === c.channels && c.std.length === c.channels, {
    message: 'give one mean and one std per channel',
    path: ['mean'],
  })
  .superRefine(checkPretrained('image', IMAGE_DEFAULTS));

const audioFeaturesSchema = z.strictObject({
  sampleRate: z.int().positive().default(8000).describe('Clips are resampled to this rate (Hz). Default 8000.'),
  durationSec: z.number().positive().default(1).describe('Clips are cut or zero-padded at the end to this length. Default 1.'),
  nFft: z.int().min(2).default(256).describe('FFT size of the log-mel spectrogram. Default 256.'),
  hopLength: z.int().positive().default(128).describe('Samples between frames. Default 128.'),
  nMels: z.int().positive().default(32).describe('Mel bands. Default 32.'),
  topDb: z.number().positive().nullable().default(80).describe('Dynamic range kept below each clip\'s maximum, in dB; null keeps all. Default 80.'),
  normalize: z
    .enum(['per-clip', 'none'])
    .default('per-clip')
    .describe('"per-clip": each log-mel spectrogram to zero mean and unit variance; "none": dB values as they are. Default "per-clip".'),
  augment: augmentationList(
    'Audio augmentations of @omnitrain/audio: waveform ones (`gain`, `noise`, `time-shift`, ...) before the spectrogram, spectrogram ones (`spectrogram-mask`) after',
  ),
  pretrained: pretrainedField(
    'audio',
    '{ type: "transformers", modality: "audio", path: "models/hubert-base-ls960", durationSec: 1 } (a wav2vec2 / HuBERT / WavLM folder; WAV files mixed to mono and resampled to its sampling_rate)',
  ),
}).superRefine(checkPretrained('audio', AUDIO_DEFAULTS));

const vocabTokenizerSchema = z.strictObject({
  kind: z.literal('vocab'),
  level: z.enum(['word', 'char']).default('word').describe('Word or character tokens. Default "word".'),
  lowercase: z.boolean().default(true).describe('Lower-case before splitting. Default true.'),
  minFrequency: z.int().min(1).default(1).describe('Keep tokens seen at least this often in the training split. Default 1.'),
});

const transformersTokenizerSchema = z.strictObject({
  kind: z.literal('transformers'),
  model: z.string().min(1).describe('A local transformers.js model folder (relative to modelRoot, or absolute). Required.'),
  modelRoot: z.string().min(1).optional().describe('Where model folders are. Default: $OMNITRAIN_MODEL_ROOT, else ./models.'),
});

const textFeaturesSchema = z.strictObject({
  tokenizer: z
    .discriminatedUnion('kind', [vocabTokenizerSchema, transformersTokenizerSchema])
    .default({ kind: 'vocab', level: 'word', lowercase: true, minFrequency: 1 })
    .describe('The built-in VocabTokenizer fitted on the training split, or a transformers.js tokenizer folder. Default: vocab, word level.'),
  maxLength: z.int().positive().default(8).describe('Token ids per text: longer texts lose their end, shorter ones are padded. Default 8.'),
  pretrained: pretrainedField('text', '{ type: "use-lite" } (512-d) or { type: "transformers", path: "models/all-MiniLM-L6-v2" }'),
}).superRefine(checkPretrained('text', TEXT_DEFAULTS));

/**
 * The schema of {@link FeaturesConfig}: how each modality's files become model inputs (decode,
 * resize or resample, log-mel, tokenize, normalize) and which training-time augmentations run;
 * or, with `image.pretrained` / `audio.pretrained` / `text.pretrained`, a frozen extractor's vector per input.
 */
export const featuresConfigSchema = z
  .strictObject({
    image: imageFeaturesSchema.prefault({}).describe('Image features. Default: 28 x 28 gray, MNIST-standardized, no augmentation, no pretrained extractor.'),
    audio: audioFeaturesSchema.prefault({}).describe('Audio features. Default: 1 s at 8 kHz, 32-band log-mel (nFft 256, hop 128), per-clip normalized.'),
    text: textFeaturesSchema.prefault({}).describe('Text features. Default: word-level vocab tokenizer, 8 ids, no pretrained extractor.'),
    seed: z.int().default(0).describe('Seed of the augmentation streams. Default 0.'),
  })
  .describe('Per-modality featurization.');

/** A validated featurization config, defaults filled in. */
export type FeaturesConfig = z.output<typeof featuresConfigSchema>;
/** {@link FeaturesConfig} as written, defaults optional. */
export type FeaturesConfigInput = z.input<typeof featuresConfigSchema>;

/**
 * Validates a featurization config and fills in its defaults.
 *
 * @param input The plain JSON (a run config's `features` section).
 * @param source Named in errors. Default none.
 * @throws ConfigError listing every problem.
 * @example parseFeaturesConfig({ audio: { nMels: 40 } }).audio.hopLength // 128
 */
export function parseFeaturesConfig(input: unknown, source?: string): FeaturesConfig {
  return loadConfigObject(input, featuresConfigSchema, { source });
}
