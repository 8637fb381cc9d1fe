import { z } from 'zod';

const fraction = (what: string, value: number) =>
  z.number().min(0).max(1).default(value).describe(`Fraction of samples whose ${what}. Default ${value}.`);

const imperfectionShape = (modality: string, missing: number, corrupt: number, corruptWhat: string) =>
  z
    .strictObject({
      missing: fraction(`${modality} is missing`, missing),
      corrupt: fraction(`${modality} is ${corruptWhat}`, corrupt),
    })
    .prefault({})
    .describe(`How often the ${modality} is missing or ${corruptWhat}. Default missing ${missing}, corrupt ${corrupt}.`);

/**
 * The options of {@link buildDigits} that decide the dataset's content (all but where it goes and
 * progress reporting); they are recorded in the build stamp, so changing any rebuilds the set.
 */
export const digitsOptionsSchema = z.strictObject({
  samplesPerClass: z
    .int()
    .min(3)
    .max(800)
    .default(150)
    .describe('Samples per digit (10 digits). Default 150: 1,500 samples, a demo that trains in minutes on 2 cores.'),
  seed: z.int().default(0).describe('Seed of every choice: MNIST images, voices, noise, texts, imperfections, splits. Default 0.'),
  sampleRate: z.int().min(4000).max(48_000).default(8000).describe('Sample rate of the WAV files in Hz. Default 8000.'),
  durationSec: z.number().min(0.6).max(4).default(1).describe('Length of every clip in seconds. Default 1.'),
  speakers: z.int().min(1).max(100).default(12).describe('Number of synthetic sam-js voices. Default 12.'),
  snrDb: z
    .tuple([z.number(), z.number()])
    .default([4, 20])
    .describe('Range of the background-noise signal-to-noise ratio of clean clips, in dB. Default [4, 20].'),
  typoRate: fraction('text has a typo in the digit word', 0.2),
  valFraction: fraction('row is in the val split', 0.15),
  testFraction: fraction('row is in the test split', 0.15),
  image: imperfectionShape('image', 0.2, 0.15, 'scrambled (pixels shuffled, plus noise)'),
  audio: imperfectionShape('audio', 0.2, 0.15, 'noise only (the word is not spoken)'),
  text: imperfectionShape('text', 0.2, 0.15, 'misleading (names another digit)'),
});

/** Validated {@link digitsOptionsSchema}. */
export type DigitsOptions = z.output<typeof digitsOptionsSchema>;
/** {@link DigitsOptions} as written, defaults optional. */
export type DigitsOptionsInput = z.input<typeof digitsOptionsSchema>;
