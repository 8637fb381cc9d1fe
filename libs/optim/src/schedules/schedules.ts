import { Registry } from '@omnitrain/core';
import type { LrSchedule } from './lr-schedule.js';

/**
 * Builds a schedule from a config object, which the factory validates (hence `never`: any
 * factory fits, whatever options type it declares).
 */
export type ScheduleFactory = (config: never) => LrSchedule;

/**
 * The learning-rate schedule registry, by config `name`: constant, step, multi-step, exponential,
 * cosine, cosine-restarts, linear-warmup, one-cycle (registered in register-schedules.ts).
 *
 * @example
 * schedules.register('inverse-sqrt', (c) => inverseSqrtLr(c));
 * schedules.get('cosin'); // ConfigError: Unknown schedule "cosin". Available: ... Did you mean "cosine"?
 */
export const schedules = new Registry<ScheduleFactory>('schedule');
