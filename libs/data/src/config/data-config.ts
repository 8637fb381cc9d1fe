import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';

const FolderSchema = z.strictObject({
  root: z.string().min(1).describe('Root of the tree root/<class>/<file>; relative to the working folder.'),
  modality: z.enum(['image', 'audio', 'text']).describe('What the files are; text files are read into the sample.'),
  extensions: z
    .array(z.string().regex(/^\./, 'an extension starts with a dot'))
    .min(1)
    .optional()
    .describe('Extensions to read. Default: .png .jpg .jpeg .webp (image), .wav (audio), .txt (text).'),
});

const SplitSchema = z.strictObject({
  ratios: z
    .record(z.string(), z.number().min(0))
    .default({ train: 0.8, val: 0.1, test: 0.1 })
    .describe('Fraction per split for rows without a split column, normalized to sum 1. Default { train: 0.8, val: 0.1, test: 0.1 }.'),
  stratify: z.boolean().default(true).describe('Split each class separately to keep the class balance. Default true.'),
});

const PrefetchSchema = z.strictObject({
  depth: z.int().min(0).default(4).describe('Batches prepared ahead of the training step. Default 4.'),
  concurrency: z.int().positive().default(4).describe('Samples decoded at once. Default 4.'),
});

const SequenceSchema = z.strictObject({
  length: z
    .union([z.literal('longest'), z.int().min(0)])
    .default('longest')
    .describe('Steps per padded audio/token sequence: "longest" in the batch, or a fixed number. Default "longest".'),
  maxLength: z.int().positive().optional().describe('With length "longest", at most this many steps. Default: no limit.'),
  truncate: z
    .enum(['end', 'start', 'error'])
    .default('end')
    .describe('A longer sequence loses its tail ("end"), its head ("start"), or is an error. Default "end".'),
  padSide: z.enum(['end', 'start']).default('end').describe('Where padding goes. Default "end".'),
});

const FeatureSelectionSchema = z.strictObject({
  varianceThreshold: z
    .number()
    .min(0)
    .optional()
    .describe('Drop vector features whose training variance is not above this. Default: off.'),
  mutualInfoK: z
    .int()
    .positive()
    .optional()
    .describe('Keep the k vector features with the highest mutual information with the label. Default: off.'),
  bins: z.int().min(2).default(10).describe('Equal-width bins per feature for mutual information. Default 10.'),
});

const CleaningSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Run cleaning before splitting; every dropped row is reported. Default true.'),
  duplicates: z
    .boolean()
    .default(true)
    .describe('Drop rows repeating an earlier row\'s content (file hashes, normalized text). Default true.'),
  validators: z
    .array(z.string().min(1))
    .optional()
    .describe('Names of the registered sample validators to run. Default: all registered.'),
  audioSeconds: z
    .strictObject({
      min: z.number().min(0).default(0).describe('Shortest accepted audio clip in seconds. Default 0 (any non-empty clip).'),
      max: z.number().positive().optional().describe('Longest accepted audio clip in seconds. Default: no limit.'),
    })
    .refine((r) => r.max === undefined || r.min <= r.max, { message: 'min must be <= max' })
    .optional()
    .describe(
      'Accepted audio durations (from the WAV header); rows outside go to the cleaning report as duration-out-of-range. Default: any non-empty clip.',
    ),
});

/**
 * The schema of {@link DataConfig}: where the data is and how it is cleaned, split, shuffled,
 * batched, padded and normalized. Unknown keys are errors (they are usually typos).
 */
export const DataConfigSchema = z
  .strictObject({
    manifest: z.string().min(1).optional().describe('Path of a JSONL or CSV manifest. Default: none (give manifest or folder).'),
    format: z.enum(['jsonl', 'csv']).optional().describe('Manifest format. Default: from its extension (.csv, .jsonl, .ndjson).'),
    folder: FolderSchema.optional().describe('A folder-per-class dataset of one modality. Default: none (give manifest or folder).'),
    classes: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('The classes in class-id order; rows with other labels are dropped by cleaning. Default: every label found, sorted.'),
    labelSeparator: z.string().min(1).default(';').describe('Separator of labels in a CSV labels cell. Default ";".'),
    seed: z.int().default(0).describe('Seed of the split and of every epoch\'s shuffle (the same on all ranks). Default 0.'),
    split: SplitSchema.prefault({}).describe('How rows without a split column are split. Default: 0.8/0.1/0.1, stratified.'),
    batchSize: z.int().positive().default(32).describe('Global batch size, all ranks together. Default 32.'),
    shuffle: z.boolean().default(true).describe('Visit the training rows in a new seeded order each epoch. Default true.'),
    dropLast: z.boolean().default(false).describe('Skip an epoch\'s last, smaller global batch. Default false.'),
    prefetch: PrefetchSchema.prefault({}).describe('Read-ahead. Default: depth 4, concurrency 4.'),
    featureCache: z
      .boolean()
      .default(true)
      .describe(
        'Keep plain (not augmented) image and audio features on disk in <runsDir>/.features, keyed by file content, features config and featurizing code, shared by runs and ranks. Default true.',
      ),
    sequence: SequenceSchema.prefault({}).describe(
      'Padding of variable-length audio and token sequences. Default: to the longest, cutting tails, padding at the end.',
    ),
    normalization: z
      .enum(['none', 'standardize', 'min-max'])
      .default('none')
      .describe('Normalization of vector features, fitted on the training split only. Default "none".'),
    featureSelection: FeatureSelectionSchema.prefault({}).describe(
      'Selection of vector features, fitted on the training split only. Default: off.',
    ),
    cleaning: CleaningSchema.prefault({}).describe('Cleaning. Default: on, with duplicates and all registered validators.'),
  })
  .refine((c) => (c.manifest === undefined) !== (c.folder === undefined), {
    message: 'give exactly one of manifest or folder',
    path: ['manifest'],
  });

/** A validated data configuration, defaults filled in. */
export type DataConfig = z.output<typeof DataConfigSchema>;
/** What a user writes: {@link DataConfig} with every defaulted field optional. */
export type DataConfigInput = z.input<typeof DataConfigSchema>;

/**
 * Validates a data configuration (from YAML, a search, or a worker message) and fills in defaults.
 *
 * @param input The plain JSON.
 * @param source Where it came from (`data.yaml`, `worker 3`), named in errors. Default: none. For
 *   a whole run YAML with line numbers, put {@link DataConfigSchema} into the run schema and use
 *   core's `parseConfig`.
 * @throws ConfigError listing every problem with its field path.
 * @example
 * const config = parseDataConfig({ manifest: 'data/train.csv', batchSize: 64 });
 * config.split.ratios; // { train: 0.8, val: 0.1, test: 0.1 }
 */
export function parseDataConfig(input: unknown, source?: string): DataConfig {
  return loadConfigObject(input, DataConfigSchema, { source });
}
