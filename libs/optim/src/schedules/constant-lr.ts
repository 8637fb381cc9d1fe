import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a constant schedule's config. */
export const constantLrSchema = z.strictObject({
  name: z.literal('constant'),
  factor: z.number().min(0).max(1).default(1).describe('Multiplier of the learning rate during the first totalIters steps. Default 1.'),
  totalIters: z.int().min(0).default(0).describe('Steps that use factor * lr; later steps use lr. Default 0.'),
});

/** What {@link constantLr} accepts. */
export type ConstantLrOptions = Omit<z.input<typeof constantLrSchema>, 'name'>;

/**
 * The configured learning rate throughout (the default schedule); with `factor` and `totalIters`
 * it is torch's ConstantLR: `lr * factor` for steps < totalIters, then `lr`.
 *
 * @param options factor (default 1), totalIters (default 0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * constantLr().lr(7, 0.1);                                  // 0.1
 * constantLr({ factor: 0.5, totalIters: 10 }).lr(3, 0.1);  // 0.05
 */
export function constantLr(options: ConstantLrOptions = {}): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'constant' }, constantLrSchema, { source: 'optim.constantLr' });
  return makeSchedule(c, (step, baseLr) => step < c.totalIters ? baseLr * c.factor : baseLr);
}
