import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { optimizerConfigSchema } from '../optimizers/optimizer-config.js';
import { reduceLrOnPlateauSchema } from '../schedules/reduce-lr-on-plateau.js';
import { scheduleConfigSchema } from '../schedules/schedule-config.js';

/**
 * The schema of {@link OptimConfig}, the `optim:` section of a run: optimizer, schedule,
 * reduce-on-plateau, penalties and gradient accumulation. Unknown keys are errors.
 *
 * @example
 * optimConfigSchema.parse({ optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } }).accumulationSteps; // 1
 */
export const optimConfigSchema = z
  .strictObject({
    optimizer: optimizerConfigSchema.prefault({ name: 'adam' }).describe('The optimizer. Default: Adam, lr 1e-3.'),
    schedule: scheduleConfigSchema
      .prefault({ name: 'constant' })
      .describe('Learning-rate schedule, scaling every group\'s configured rate. Default: constant.'),
    scheduleInterval: z
      .enum(['step', 'epoch'])
      .default('step')
      .describe('What a schedule step counts: optimizer steps or epochs. Default "step".'),
    plateau: reduceLrOnPlateauSchema
      .extend({
        monitor: z.string().min(1).default('val_loss').describe('The metric watched, once per epoch. Default "val_loss".'),
      })
      .optional()
      .describe('Reduce the learning rate when a metric plateaus (on top of the schedule). Default: off.'),
    regularization: z
      .strictObject({
        l1: z.number().min(0).default(0).describe('L1 penalty l1 * sum|w| added to the loss. Default 0.'),
        l2: z.number().min(0).default(0).describe('L2 penalty l2 * sum w^2 added to the loss. Default 0.'),
        params: z
          .array(z.string().min(1))
          .min(1)
          .default(['*'])
          .describe('Names or globs of the penalized parameters (e.g. kernels only). Default: all.'),
      })
      .prefault({})
      .describe(
        'Penalty terms added to the loss. Weight decay is the optimizer\'s weightDecay; dropout is a layer option of the model.',
      ),
    accumulationSteps: z
      .int()
      .positive()
      .default(1)
      .describe('Micro-batches whose mean gradient makes one optimizer step. Default 1 (no accumulation).'),
  })
  .describe('Optimization: optimizer, learning-rate schedule, regularization, gradient accumulation.');

/** A validated optimization config, defaults filled in. */
export type OptimConfig = z.output<typeof optimConfigSchema>;
/** What a user writes: {@link OptimConfig} with every defaulted field optional. */
export type OptimConfigInput = z.input<typeof optimConfigSchema>;

/**
 * Validates an optimization config (from YAML, a search trial, a worker message), filling defaults.
 *
 * @param input The plain JSON.
 * @param source Where it came from (`run.yaml`, `trial 12`), named in errors. Default: none. For a
 *   whole run YAML with line numbers, put {@link optimConfigSchema} into the run schema and use
 *   core's `parseConfig`.
 * @throws ConfigError listing every problem with its field path.
 *
 * @example
 * const optim = parseOptimConfig({ optimizer: { name: 'adamw', lr: 3e-4 }, schedule: { name: 'cosine', tMax: 10000 } });
 * const opt = createOptimizer(params, optim.optimizer);
 * const schedule = createSchedule(optim.schedule);
 */
export function parseOptimConfig(input: unknown, source?: string): OptimConfig {
  return loadConfigObject(input, optimConfigSchema, { source });
}
