import { lookupByName } from '../config/lookup-by-name.js';
import type { NamedConfig } from '../optimizers/optimizer.js';
import type { LrSchedule } from './lr-schedule.js';
import { schedules } from './schedules.js';

/**
 * Builds the registered schedule named by `config.name`: the `fromConfig` of every schedule, so
 * `createSchedule(s.getConfig())` rebuilds `s`.
 *
 * @param config `{ name, ...options }`, e.g. from a run YAML's `optim.schedule`.
 * @throws ConfigError for an unknown name (listing the registered ones) or invalid options.
 *
 * @example
 * const s = createSchedule({ name: 'linear-warmup', steps: 500, after: { name: 'cosine', tMax: 9500 } });
 */
export function createSchedule(config: NamedConfig): LrSchedule {
  return lookupByName(schedules, config, 'optim.createSchedule')(config as never);
}
