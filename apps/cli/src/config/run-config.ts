import { z } from 'zod';
import { runtimeConfigSchema } from '@omnitrain/core';
import { DataConfigSchema } from '@omnitrain/data';
import { trainConfigSchema } from '@omnitrain/engine';
import { featuresConfigSchema, modelConfigSchema } from '@omnitrain/multimodal';
import { optimConfigSchema } from '@omnitrain/optim';
import { distributedConfigSchema } from './distributed-config.js';
import { featurizeThreadsSchema } from './featurize-threads-schema.js';
import { telemetryConfigSchema } from './telemetry-config.js';

/**
 * The shape of a run file (`run.yaml`): one section per concern, each owned by its lib, composed
 * here. Unknown keys are errors with a suggestion (`optim.lerning_rate: unknown key; did you mean
 * "learning_rate"?`). Parse run files with {@link runConfigSchema}, which fills the root seed and
 * batch size first; this one is what `omnitrain config schema` prints.
 *
 * @example
 * const jsonSchema = configJsonSchema(runConfigObjectSchema, { title: 'Omnitrain run config' });
 */
export const runConfigObjectSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .optional()
      .describe('A short name of the run, shown in the dashboard. Default: the config file\'s name without extension.'),
    runtime: runtimeConfigSchema.prefault({}),
    data: DataConfigSchema.safeExtend({ featurizeThreads: featurizeThreadsSchema }).describe('Data: manifest or class folders, cleaning, splits, batching, padding.'),
    features: featuresConfigSchema.prefault({}),
    model: modelConfigSchema.describe('Model: modalities, one encoder per modality, the fusion head, number of classes.'),
    optim: optimConfigSchema.prefault({}),
    train: trainConfigSchema.prefault({}),
    distributed: distributedConfigSchema.prefault({}),
    telemetry: telemetryConfigSchema.prefault({}),
  })
  .superRefine((run, ctx) => {
    // A modality read by a pretrained extractor is a vector: only the vector encoder reads it.
    for (const m of ['image', 'audio', 'text'] as const) {
      const encoder = run.model.encoders[m];
      if (run.features[m].pretrained && run.model.modalities.includes(m) && encoder && encoder.name !== 'vector') {
        ctx.addIssue({
          code: 'custom',
          path: ['model', 'encoders', m, 'name'],
          message: `expected "vector" with features.${m}.pretrained set (the ${m} input is a fixed-length feature vector; units: [] feeds it to the fusion head unchanged)`,
        });
      }
    }
    // Both sections carry a global batch size; the run uses train.batchSize, so they must agree.
    if (run.data.batchSize !== run.train.batchSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'batchSize'],
        message: `expected the same global batch size as train.batchSize (${run.train.batchSize}), got ${run.data.batchSize}; set it once, in train.batchSize`,
      });
    }
  })
  .describe('An Omnitrain run: data, features, model, optimization, training loop, launch and telemetry.');

/**
 * Fills what a run file leaves to its root: every section's `seed` not written defaults to
 * `runtime.seed` (the run's root seed: each lib derives its own streams from it), and one batch
 * size written in either `data` or `train` is used for both.
 */
function fillFromRoot(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const run = { ...(raw as Record<string, unknown>) };
  const section = (name: string): Record<string, unknown> | undefined => {
    const value = run[name];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  };
  const rootSeed = section('runtime')?.['seed'];
  if (rootSeed !== undefined) {
    for (const name of SEEDED_SECTIONS) {
      // Sections with defaults for everything may be absent; required ones are left to the schema.
      const value = run[name] === undefined && (name === 'features' || name === 'train') ? {} : section(name);
      if (value && value['seed'] === undefined) run[name] = { ...value, seed: rootSeed };
    }
  }
  const data = section('data');
  const train = run['train'] === undefined ? {} : section('train');
  if (data && train) {
    if (data['batchSize'] === undefined && train['batchSize'] !== undefined) run['data'] = { ...data, batchSize: train['batchSize'] };
    if (train['batchSize'] === undefined && data['batchSize'] !== undefined) run['train'] = { ...train, batchSize: data['batchSize'] };
  }
  return run;
}

/** The sections with a `seed` of their own, filled from `runtime.seed` when not written. */
const SEEDED_SECTIONS = ['data', 'features', 'model', 'train'] as const;

/**
 * The schema of a run file, as parsed: {@link runConfigObjectSchema} after `runtime.seed` and one
 * written batch size are filled into the sections that did not set their own.
 *
 * @example
 * const run = await loadConfig('examples/digits.yaml', runConfigSchema, { overrides: ['train.epochs=1'] });
 * run.data.seed === run.runtime.seed; // unless data.seed was written
 */
export const runConfigSchema = z.preprocess(fillFromRoot, runConfigObjectSchema);

/** A validated run config, defaults filled in. */
export type RunConfig = z.output<typeof runConfigSchema>;
/** What a user writes in run.yaml: {@link RunConfig} with every defaulted field optional. */
export type RunConfigInput = z.input<typeof runConfigSchema>;
