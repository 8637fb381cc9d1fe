import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a cosine schedule's config. */
export const cosineAnnealingLrSchema = z.strictObject({
  name: z.literal('cosine'),
  tMax: z.int().positive().describe('Steps from lr down to etaMin (usually the run length). Required.'),
  etaMin: z.number().min(0).default(0).describe('Lowest learning rate. Default 0.'),
});

/** What {@link cosineAnnealingLr} accepts. */
export type CosineAnnealingLrOptions = Omit<z.input<typeof cosineAnnealingLrSchema>, 'name'>;

/**
 * Cosine annealing (SGDR without restarts), torch's CosineAnnealingLR:
 * `etaMin + (lr - etaMin) * (1 + cos(pi * step / tMax)) / 2`. Like torch, past tMax it follows the
 * cosine back up; set tMax to the run length, or use {@link cosineWarmRestartsLr} for cycles.
 *
 * @param options tMax (required), etaMin (default 0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * cosineAnnealingLr({ tMax: 100 }).lr(50, 0.1); // 0.05
 */
export function cosineAnnealingLr(options: CosineAnnealingLrOptions): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'cosine' }, cosineAnnealingLrSchema, { source: 'optim.cosineAnnealingLr' });
  return makeSchedule(c, (step, baseLr) => c.etaMin + ((baseLr - c.etaMin) * (1 + Math.cos((Math.PI * step) / c.tMax))) / 2);
}
