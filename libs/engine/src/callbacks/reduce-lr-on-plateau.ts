import { z } from 'zod';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { ReduceLrOnPlateau, reduceLrOnPlateauSchema } from '@omnitrain/optim';
import type { ReduceLrOnPlateauState } from '@omnitrain/optim';
import type { Callback } from './callback.js';

/**
 * The options of {@link reduceLrOnPlateau}: optim's reducer options plus the monitored metric.
 *
 * @example
 * reduceLrOnPlateauCallbackSchema.parse({ patience: 2 }).monitor; // 'val_loss'
 */
export const reduceLrOnPlateauCallbackSchema = reduceLrOnPlateauSchema.extend({
  monitor: z.string().min(1).default('val_loss').describe('The epoch metric watched. Default "val_loss".'),
});

/** What {@link reduceLrOnPlateau} accepts. */
export type ReduceLrOnPlateauCallbackOptions = z.input<typeof reduceLrOnPlateauCallbackSchema>;

/**
 * Lowers the learning rates when an epoch metric plateaus: optim's `ReduceLrOnPlateau` (torch's
 * semantics) fed once per epoch; its counters are checkpointed. Use it with a constant schedule
 * (the Trainer does not apply one), or a schedule would overwrite the reduced rates.
 *
 * @param options monitor ('val_loss') plus optim's mode, factor, patience, threshold, cooldown, minLr, eps.
 *
 * @example
 * reduceLrOnPlateau({ monitor: 'val_loss', patience: 2, factor: 0.5 });
 */
export function reduceLrOnPlateau(options: ReduceLrOnPlateauCallbackOptions = {}): Callback {
  const { monitor, ...rest } = loadConfigObject(options, reduceLrOnPlateauCallbackSchema, { source: 'engine.reduceLrOnPlateau' });
  const plateau = new ReduceLrOnPlateau(rest);
  return {
    name: 'reduceLrOnPlateau',
    onEpochEnd({ trainer, logs }) {
      const value = logs[monitor];
      if (value === undefined) {
        if (monitor.startsWith('val_') && trainer.validation) return;
        throw new ConfigError({ op: 'engine.reduceLrOnPlateau', expected: `an epoch metric named "${monitor}"`, received: `metrics ${Object.keys(logs).join(', ')}` });
      }
      plateau.step(value, trainer.optimizer);
    },
    getState: () => plateau.exportState(),
    setState: (s) => plateau.importState(s as ReduceLrOnPlateauState),
  };
}
