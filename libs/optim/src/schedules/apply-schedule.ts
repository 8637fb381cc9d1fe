import type { Optimizer } from '../optimizers/optimizer.js';
import type { LrSchedule } from './lr-schedule.js';

/**
 * Sets each parameter group's learning rate to `schedule.lr(step, group.initialLr)`; call it
 * before the step it is for (step 0 before the first update).
 *
 * @param optimizer The optimizer whose groups to set.
 * @param schedule The schedule.
 * @param step The schedule step (optimizer steps or epochs, as the run counts them), integer >= 0.
 * @returns The learning rates set, in group order (for logging).
 *
 * @example
 * for (let step = 0; step < total; step++) {
 *   applySchedule(opt, schedule, step);
 *   opt.applyGradients(grads());
 * }
 */
export function applySchedule(optimizer: Optimizer, schedule: LrSchedule, step: number): number[] {
  const lrs = optimizer.groups.map((g) => schedule.lr(step, g.initialLr));
  optimizer.setLr(lrs);
  return lrs;
}
