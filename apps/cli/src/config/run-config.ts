import { z } from 'zod';
import { runtimeConfigSchema } from '@omnitrain/core';
import { DataConfigSchema } from '@omnitrain/data';
import { trainConfigSchema } from '@omnitrain/engine';
import { featuresConfigSchema, modelConfigSchema } from '@omnitrain/multimodal';
import { optimConfigSchema } from '@omnitrain/optim';
import { distributedConfigSchema } from './distributed-config.js';
import { telemetryConfigSchema } from './telemetry-config.js';

/**
 * The schema of a run file (`run.yaml`): one section per concern, each owned by its lib, composed
 * here. Unknown keys are errors with a suggestion (`optim.lerning_rate: unknown key; did you mean
 * "learning_rate"?`).
 *
 * @example
 * const run = await loadConfig('examples/digits.yaml', runConfigSchema, { overrides: ['train.epochs=1'] });
 */
export const runConfigSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .optional()
      .describe('A short name of the run, shown in the dashboard. Default: the config file\'s name without extension.'),
    runtime: runtimeConfigSchema.prefault({}),
    data: DataConfigSchema.describe('Data: manifest or class folders, cleaning, splits, batching, padding.'),
    features: featuresConfigSchema.prefault({}),
    model: modelConfigSchema.describe('Model: modalities, one encoder per modality, the fusion head, number of classes.'),
    optim: optimConfigSchema.prefault({}),
    train: trainConfigSchema.prefault({}),
    distributed: distributedConfigSchema.prefault({}),
    telemetry: telemetryConfigSchema.prefault({}),
  })
  .superRefine((run, ctx) => {
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

/** A validated run config, defaults filled in. */
export type RunConfig = z.output<typeof runConfigSchema>;
/** What a user writes in run.yaml: {@link RunConfig} with every defaulted field optional. */
export type RunConfigInput = z.input<typeof runConfigSchema>;
