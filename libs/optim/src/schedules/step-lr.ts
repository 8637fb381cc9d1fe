import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a step schedule's config. */
export const stepLrSchema = z.strictObject({
  name: z.literal('step'),
  stepSize: z.int().positive().describe('Steps between decays. Required.'),
  gamma: z.number().positive().default(0.1).describe('Multiplier applied every stepSize steps. Default 0.1.'),
});

/** What {@link stepLr} accepts. */
export type StepLrOptions = Omit<z.input<typeof stepLrSchema>, 'name'>;

/**
 * Step decay, torch's StepLR: `lr * gamma^floor(step / stepSize)`.
 *
 * @param options stepSize (required), gamma (default 0.1).
 * @throws ConfigError for invalid options.
 *
 * @example
 * stepLr({ stepSize: 30 }).lr(65, 0.1); // 0.001
 */
export function stepLr(options: StepLrOptions): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'step' }, stepLrSchema, { source: 'optim.stepLr' });
  return makeSchedule(c, (step, baseLr) => baseLr * c.gamma ** Math.floor(step / c.stepSize));
}
