import { z } from 'zod';
import { constantLrSchema } from './constant-lr.js';
import { cosineAnnealingLrSchema } from './cosine-annealing-lr.js';
import { cosineWarmRestartsLrSchema } from './cosine-warm-restarts-lr.js';
import { exponentialLrSchema } from './exponential-lr.js';
import { linearWarmupSchema } from './linear-warmup.js';
import { multiStepLrSchema } from './multi-step-lr.js';
import { oneCycleLrSchema } from './one-cycle-lr.js';
import { stepLrSchema } from './step-lr.js';

/**
 * The schema of {@link ScheduleConfig}: one of the built-in schedules' configs, chosen by `name`.
 *
 * @example
 * scheduleConfigSchema.parse({ name: 'step', stepSize: 30 }); // { name: 'step', stepSize: 30, gamma: 0.1 }
 */
export const scheduleConfigSchema = z
  .discriminatedUnion('name', [
    constantLrSchema,
    stepLrSchema,
    multiStepLrSchema,
    exponentialLrSchema,
    cosineAnnealingLrSchema,
    cosineWarmRestartsLrSchema,
    linearWarmupSchema,
    oneCycleLrSchema,
  ])
  .describe('Learning-rate schedule: its name and options.');

/** A parsed built-in schedule config (defaults filled). */
export type ScheduleConfig = z.output<typeof scheduleConfigSchema>;
/** What a user writes for a schedule: {@link ScheduleConfig} with defaulted fields optional. */
export type ScheduleConfigInput = z.input<typeof scheduleConfigSchema>;
