import { ConfigError } from '@omnitrain/core';
import type { NamedConfig } from '../optimizers/optimizer.js';

/**
 * A learning-rate schedule: a pure function of the step, applied to each parameter group's
 * configured learning rate (so discriminative group rates keep their ratios). A "step" is
 * whatever the caller counts, optimizer steps or epochs; `lr(t)` is the rate used for the
 * (t + 1)-th one, as torch's scheduler after t calls of `scheduler.step()`.
 *
 * @example
 * const schedule = cosineAnnealingLr({ tMax: 1000 });
 * schedule.lr(500, 0.1); // 0.05
 */
export interface LrSchedule {
  /** Registered name (`step`, `cosine`, ...). */
  readonly name: string;
  /**
   * The learning rate at `step` for a group whose configured rate is `baseLr`.
   * @param step Integer >= 0.
   * @param baseLr The group's configured learning rate.
   */
  lr(step: number, baseLr: number): number;
  /** `{ name, ...options }`, which `createSchedule` turns back into this schedule. */
  getConfig(): NamedConfig;
}

/**
 * An {@link LrSchedule} from its parsed config and formula; the step is checked to be an integer
 * >= 0 before `formula` sees it, and `getConfig` returns a copy of `config`.
 *
 * @param config The parsed config, `name` included.
 * @param formula The learning rate at a step for a base rate.
 *
 * @example
 * const halving = makeSchedule({ name: 'halving' }, (step, base) => base / 2 ** step);
 */
export function makeSchedule(config: NamedConfig, formula: (step: number, baseLr: number) => number): LrSchedule {
  const op = `optim.schedule(${config.name})`;
  return {
    name: config.name,
    lr(step, baseLr) {
      if (!Number.isInteger(step) || step < 0) {
        throw new ConfigError({ op, expected: 'a step that is an integer >= 0', received: String(step) });
      }
      return formula(step, baseLr);
    },
    getConfig: () => structuredClone(config),
  };
}
