import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { NamedConfig } from '../optimizers/optimizer.js';
import { createSchedule } from './create-schedule.js';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a linear-warmup schedule's config; `after` is checked by its own schema. */
export const linearWarmupSchema = z.strictObject({
  name: z.literal('linear-warmup'),
  steps: z.int().positive().describe('Warmup steps. Required.'),
  startFactor: z.number().min(0).max(1).default(0).describe('Fraction of the rate at step 0 (torch LinearLR start_factor). Default 0.'),
  after: z
    .looseObject({ name: z.string().min(1) })
    .default({ name: 'constant' })
    .describe('The schedule that follows, started at step 0 when warmup ends. Default: constant.'),
});

/** What {@link linearWarmup} accepts; `after` may be a schedule or its config. */
export type LinearWarmupOptions = Omit<z.input<typeof linearWarmupSchema>, 'name' | 'after'> & {
  after?: LrSchedule | NamedConfig;
};

/**
 * Linear warmup in front of any schedule, torch's SequentialLR(LinearLR(startFactor, 1, steps),
 * after, milestones=[steps]): `lr * (startFactor + (1 - startFactor) * step / steps)` for
 * step < steps, then `after` from its own step 0.
 *
 * @param options steps (required), startFactor (default 0), after (default constant).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const s = linearWarmup({ steps: 100, after: cosineAnnealingLr({ tMax: 900 }) });
 * s.lr(50, 0.1);  // 0.05
 * s.lr(100, 0.1); // 0.1
 */
export function linearWarmup(options: LinearWarmupOptions): LrSchedule {
  const given = options.after ?? { name: 'constant' };
  const next = typeof given.lr === 'function' ? (given as LrSchedule) : createSchedule(given as NamedConfig);
  const c = loadConfigObject({ ...options, name: 'linear-warmup', after: next.getConfig() }, linearWarmupSchema, {
    source: 'optim.linearWarmup',
  });
  return makeSchedule(c, (step, baseLr) =>
    step < c.steps ? baseLr * (c.startFactor + ((1 - c.startFactor) * step) / c.steps) : next.lr(step - c.steps, baseLr),
  );
}
