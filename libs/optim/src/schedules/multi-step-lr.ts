import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a multi-step schedule's config. */
export const multiStepLrSchema = z.strictObject({
  name: z.literal('multi-step'),
  milestones: z.array(z.int().min(0)).min(1).describe('Steps at which the rate is multiplied by gamma; a repeated milestone applies gamma again. Required.'),
  gamma: z.number().positive().default(0.1).describe('Multiplier at each milestone. Default 0.1.'),
});

/** What {@link multiStepLr} accepts. */
export type MultiStepLrOptions = Omit<z.input<typeof multiStepLrSchema>, 'name'>;

/**
 * Decay at chosen steps, torch's MultiStepLR: `lr * gamma^(number of milestones <= step)`.
 *
 * @param options milestones (required), gamma (default 0.1).
 * @throws ConfigError for invalid options.
 *
 * @example
 * multiStepLr({ milestones: [30, 80] }).lr(50, 0.1); // 0.01
 */
export function multiStepLr(options: MultiStepLrOptions): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'multi-step' }, multiStepLrSchema, { source: 'optim.multiStepLr' });
  return makeSchedule(c, (step, baseLr) => baseLr * c.gamma ** c.milestones.filter((m) => m <= step).length);
}
