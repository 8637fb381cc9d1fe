import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of an exponential schedule's config. */
export const exponentialLrSchema = z.strictObject({
  name: z.literal('exponential'),
  gamma: z.number().positive().describe('Multiplier per step. Required.'),
});

/** What {@link exponentialLr} accepts. */
export type ExponentialLrOptions = Omit<z.input<typeof exponentialLrSchema>, 'name'>;

/**
 * Exponential decay, torch's ExponentialLR: `lr * gamma^step`.
 *
 * @param options gamma (required).
 * @throws ConfigError for invalid options.
 *
 * @example
 * exponentialLr({ gamma: 0.9 }).lr(2, 1); // 0.81
 */
export function exponentialLr(options: ExponentialLrOptions): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'exponential' }, exponentialLrSchema, { source: 'optim.exponentialLr' });
  return makeSchedule(c, (step, baseLr) => baseLr * c.gamma ** step);
}
