import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { freeze, unfreeze } from '../transfer/freeze.js';
import type { Callback } from './callback.js';

/**
 * The options of {@link gradualUnfreezing}.
 *
 * @example
 * gradualUnfreezingConfigSchema.parse({ schedule: [{ epoch: 2, patterns: ['encoder/*'] }] }).freeze; // []
 */
export const gradualUnfreezingConfigSchema = z.strictObject({
  freeze: z.array(z.string().min(1)).default([]).describe('Names or globs frozen when training begins (e.g. the pretrained encoder). Default [].'),
  schedule: z
    .array(
      z.strictObject({
        epoch: z.int().min(0).describe('The epoch from which these parameters train.'),
        patterns: z.array(z.string().min(1)).min(1).describe('Names or globs to unfreeze.'),
      }),
    )
    .min(1)
    .describe('When to unfreeze what, e.g. [{ epoch: 2, patterns: ["encoder/block4/*"] }].'),
});

/** What {@link gradualUnfreezing} accepts. */
export type GradualUnfreezingOptions = z.input<typeof gradualUnfreezingConfigSchema>;

/**
 * Unfreezes parameter groups on an epoch schedule (ULMFiT's gradual unfreezing): `freeze` patterns
 * are frozen at the start, then each schedule entry's patterns train from its epoch on. Idempotent
 * per epoch, so a resumed run ends up with the same flags.
 *
 * @example
 * gradualUnfreezing({ freeze: ['encoder/*'], schedule: [{ epoch: 1, patterns: ['encoder/top/*'] }, { epoch: 3, patterns: ['encoder/*'] }] });
 */
export function gradualUnfreezing(options: GradualUnfreezingOptions): Callback {
  const c = loadConfigObject(options, gradualUnfreezingConfigSchema, { source: 'engine.gradualUnfreezing' });
  return {
    name: 'gradualUnfreezing',
    onTrainBegin({ trainer }) {
      if (c.freeze.length > 0) freeze(trainer.model.variables, c.freeze);
    },
    onEpochBegin({ trainer, epoch }) {
      for (const entry of c.schedule) if (entry.epoch <= epoch) unfreeze(trainer.model.variables, entry.patterns);
    },
  };
}
