import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a cosine-with-warm-restarts schedule's config. */
export const cosineWarmRestartsLrSchema = z.strictObject({
  name: z.literal('cosine-restarts'),
  t0: z.int().positive().describe('Steps in the first cycle. Required.'),
  tMult: z.int().min(1).default(1).describe('Each cycle is tMult times longer than the previous one. Default 1.'),
  etaMin: z.number().min(0).default(0).describe('Lowest learning rate. Default 0.'),
});

/** What {@link cosineWarmRestartsLr} accepts. */
export type CosineWarmRestartsLrOptions = Omit<z.input<typeof cosineWarmRestartsLrSchema>, 'name'>;

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter), torch's
 * CosineAnnealingWarmRestarts: cycles of t0, t0 * tMult, t0 * tMult², ... steps, each going from
 * lr down to etaMin along a half cosine, then jumping back to lr.
 *
 * @param options t0 (required), tMult (default 1), etaMin (default 0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const s = cosineWarmRestartsLr({ t0: 10 });
 * s.lr(5, 0.1);  // 0.05
 * s.lr(10, 0.1); // 0.1 (restart)
 */
export function cosineWarmRestartsLr(options: CosineWarmRestartsLrOptions): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'cosine-restarts' }, cosineWarmRestartsLrSchema, {
    source: 'optim.cosineWarmRestartsLr',
  });
  return makeSchedule(c, (step, baseLr) => {
    let cycle = c.t0;
    let tCur = c.tMult === 1 ? step % c.t0 : step;
    while (tCur >= cycle) {
      tCur -= cycle;
      cycle *= c.tMult;
    }
    return c.etaMin + ((baseLr - c.etaMin) * (1 + Math.cos((Math.PI * tCur) / cycle))) / 2;
  });
}
