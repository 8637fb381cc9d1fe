import { z } from 'zod';
import { CheckpointError, ConfigError, loadConfigObject } from '@omnitrain/core';
import type { Optimizer } from '../optimizers/optimizer.js';

/** The schema of {@link ReduceLrOnPlateauConfig}. */
export const reduceLrOnPlateauSchema = z.strictObject({
  mode: z.enum(['min', 'max']).default('min').describe('Whether the monitored metric should go down (loss) or up (accuracy). Default "min".'),
  factor: z.number().positive().lt(1).default(0.1).describe('Multiplier of the learning rate on a plateau. Default 0.1.'),
  patience: z.int().min(0).default(10).describe('Epochs without improvement tolerated before reducing. Default 10.'),
  threshold: z.number().min(0).default(1e-4).describe('Least change that counts as an improvement. Default 1e-4.'),
  thresholdMode: z
    .enum(['rel', 'abs'])
    .default('rel')
    .describe('"rel": better than best * (1 -/+ threshold); "abs": better than best -/+ threshold. Default "rel".'),
  cooldown: z.int().min(0).default(0).describe('Epochs after a reduction during which bad epochs are not counted. Default 0.'),
  minLr: z
    .union([z.number().min(0), z.array(z.number().min(0))])
    .default(0)
    .describe('Lowest learning rate, for all groups or one per group. Default 0.'),
  eps: z.number().min(0).default(1e-8).describe('A reduction smaller than this is skipped. Default 1e-8.'),
});

/** A parsed reduce-on-plateau config (defaults filled). */
export type ReduceLrOnPlateauConfig = z.output<typeof reduceLrOnPlateauSchema>;
/** What {@link ReduceLrOnPlateau} accepts. */
export type ReduceLrOnPlateauOptions = z.input<typeof reduceLrOnPlateauSchema>;

/** The resumable state of a {@link ReduceLrOnPlateau} (plain JSON; `best` null before the first metric). */
export interface ReduceLrOnPlateauState {
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
}

/**
 * Lowers every group's learning rate by `factor` when a metric stops improving for more than
 * `patience` epochs, exactly torch's ReduceLROnPlateau. Unlike the pure schedules it is stateful:
 * it reads and writes the optimizer's current rates and keeps its counters in
 * {@link ReduceLrOnPlateau.exportState} for checkpoints.
 *
 * @example
 * const plateau = new ReduceLrOnPlateau({ patience: 3, factor: 0.5 });
 * // after each validation:
 * plateau.step(valLoss, optimizer);
 */
export class ReduceLrOnPlateau {
  readonly config: ReduceLrOnPlateauConfig;
  #state: ReduceLrOnPlateauState = { best: null, numBadEpochs: 0, cooldownCounter: 0, lastEpoch: 0 };

  /**
   * @param options mode ('min'), factor (0.1), patience (10), threshold (1e-4), thresholdMode ('rel'),
   *   cooldown (0), minLr (0), eps (1e-8).
   * @throws ConfigError for invalid options.
   */
  constructor(options: ReduceLrOnPlateauOptions = {}) {
    this.config = loadConfigObject(options, reduceLrOnPlateauSchema, { source: 'optim.ReduceLrOnPlateau' });
  }

  /** Rebuilds a reducer from {@link ReduceLrOnPlateau.getConfig} (state starts fresh). */
  static fromConfig(config: unknown): ReduceLrOnPlateau {
    return new ReduceLrOnPlateau(config as ReduceLrOnPlateauOptions);
  }

  /**
   * Records one epoch's metric and reduces the optimizer's rates if it has plateaued.
   *
   * @param metric The monitored value (validation loss, accuracy, ...).
   * @param optimizer The optimizer whose group rates to lower.
   * @returns Whether any rate was lowered.
   * @throws ConfigError when minLr is a list whose length differs from the number of groups.
   */
  step(metric: number, optimizer: Optimizer): boolean {
    const s = this.#state;
    s.lastEpoch += 1;
    if (this.#isBetter(metric)) {
      s.best = metric;
      s.numBadEpochs = 0;
    } else {
      s.numBadEpochs += 1;
    }
    if (s.cooldownCounter > 0) {
      s.cooldownCounter -= 1;
      s.numBadEpochs = 0;
    }
    if (s.numBadEpochs <= this.config.patience) return false;
    s.cooldownCounter = this.config.cooldown;
    s.numBadEpochs = 0;
    return this.#reduce(optimizer);
  }

  #isBetter(a: number): boolean {
    const { mode, threshold, thresholdMode } = this.config;
    const best = this.#state.best ?? (mode === 'min' ? Infinity : -Infinity);
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  #reduce(optimizer: Optimizer): boolean {
    const groups = optimizer.groups;
    const { minLr } = this.config;
    if (Array.isArray(minLr) && minLr.length !== groups.length) {
      throw new ConfigError({
        op: 'optim.ReduceLrOnPlateau',
        expected: `one minLr per parameter group (${groups.length}: ${groups.map((g) => g.name).join(', ')})`,
        received: `${minLr.length} values`,
      });
    }
    let reduced = false;
    const lrs = groups.map((g, i) => {
      const next = Math.max(g.lr * this.config.factor, Array.isArray(minLr) ? minLr[i]! : minLr);
      if (g.lr - next <= this.config.eps) return g.lr;
      reduced = true;
      return next;
    });
    optimizer.setLr(lrs);
    return reduced;
  }

  /** The counters, as plain JSON for a checkpoint. */
  exportState(): ReduceLrOnPlateauState {
    return { ...this.#state };
  }

  /**
   * Restores counters saved by {@link ReduceLrOnPlateau.exportState}.
   * @throws CheckpointError for a malformed state.
   */
  importState(state: ReduceLrOnPlateauState): void {
    const ok =
      (state.best === null || Number.isFinite(state.best)) &&
      [state.numBadEpochs, state.cooldownCounter, state.lastEpoch].every((n) => Number.isInteger(n) && n >= 0);
    if (!ok) {
      throw new CheckpointError({ op: 'optim.ReduceLrOnPlateau.importState', expected: 'a ReduceLrOnPlateauState', received: JSON.stringify(state) });
    }
    this.#state = { ...state };
  }

  /** The parsed config, for {@link ReduceLrOnPlateau.fromConfig}. */
  getConfig(): ReduceLrOnPlateauConfig {
    return structuredClone(this.config);
  }
}
