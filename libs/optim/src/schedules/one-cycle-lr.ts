import { z } from 'zod';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { makeSchedule } from './lr-schedule.js';
import type { LrSchedule } from './lr-schedule.js';

/** The schema of a one-cycle schedule's config. */
export const oneCycleLrSchema = z.strictObject({
  name: z.literal('one-cycle'),
  totalSteps: z.int().positive().describe('Steps in the cycle (the run length); steps 0..totalSteps are defined. Required.'),
  pctStart: z.number().min(0).max(1).default(0.3).describe('Fraction of the cycle spent increasing the rate. Default 0.3.'),
  annealStrategy: z.enum(['cos', 'linear']).default('cos').describe('Shape of each phase. Default "cos".'),
  divFactor: z.number().positive().default(25).describe('Starting rate = max rate / divFactor. Default 25.'),
  finalDivFactor: z.number().positive().default(1e4).describe('Final rate = starting rate / finalDivFactor. Default 1e4.'),
  threePhase: z.boolean().default(false).describe('Up, back down to the starting rate, then to the final one (fast.ai). Default false.'),
});

/** What {@link oneCycleLr} accepts. */
export type OneCycleLrOptions = Omit<z.input<typeof oneCycleLrSchema>, 'name'>;

/**
 * The 1cycle policy (Smith & Topin), torch's OneCycleLR with the group's configured learning rate
 * as the maximum: from `lr / divFactor` up to `lr` over `pctStart` of the cycle, then down to
 * `lr / divFactor / finalDivFactor`. Momentum cycling is not part of it (torch's
 * `cycle_momentum=False`).
 *
 * @param options totalSteps (required), pctStart (0.3), annealStrategy ('cos'), divFactor (25),
 *   finalDivFactor (1e4), threePhase (false).
 * @throws ConfigError for invalid options, and from `lr` for a step past totalSteps (as torch).
 *
 * @example
 * const s = oneCycleLr({ totalSteps: 1000 });
 * s.lr(0, 0.1); // 0.004
 * s.lr(299, 0.1); // 0.1
 */
export function oneCycleLr(options: OneCycleLrOptions): LrSchedule {
  const c = loadConfigObject({ ...options, name: 'one-cycle' }, oneCycleLrSchema, { source: 'optim.oneCycleLr' });
  const up = c.pctStart * c.totalSteps - 1;
  type Rate = 'initial' | 'max' | 'min';
  // Phases as [last step, start rate, end rate], as torch lays them out.
  const phases: [number, Rate, Rate][] = c.threePhase
    ? [[up, 'initial', 'max'], [2 * c.pctStart * c.totalSteps - 2, 'max', 'initial'], [c.totalSteps - 1, 'initial', 'min']]
    : [[up, 'initial', 'max'], [c.totalSteps - 1, 'max', 'min']];
  const anneal =
    c.annealStrategy === 'cos'
      ? (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (start: number, end: number, pct: number) => (end - start) * pct + start;
  return makeSchedule(c, (step, maxLr) => {
    if (step > c.totalSteps) {
      throw new ConfigError({
        op: 'optim.oneCycleLr',
        expected: `a step <= totalSteps (${c.totalSteps})`,
        received: String(step),
        hint: 'set totalSteps to the number of steps of the whole run',
      });
    }
    const initial = maxLr / c.divFactor;
    const rates = { initial, max: maxLr, min: initial / c.finalDivFactor };
    const phase = phases.findIndex(([last], k) => step <= last || k === phases.length - 1);
    const start = phase === 0 ? 0 : phases[phase - 1]![0];
    const [end, from, to] = phases[phase]!;
    return anneal(rates[from], rates[to], (step - start) / (end - start));
  });
}
