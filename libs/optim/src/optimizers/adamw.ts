import type { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { adamHyperparameters, adamRule } from './adam.js';
import { GradientOptimizer } from './gradient-optimizer.js';
import type { NamedVariables, Optimizer } from './optimizer.js';
import { optimizerSchema } from './optimizer-schema.js';

/** The schema of {@link AdamwConfig}: Adam's, with weight decay 0.01 and decoupled by default. */
export const adamwConfigSchema = optimizerSchema(
  'adamw',
  { lr: 1e-3, weightDecay: 0.01, decoupledWeightDecay: true },
  adamHyperparameters,
);

/** A parsed AdamW config (defaults filled). */
export type AdamwConfig = z.output<typeof adamwConfigSchema>;
/** What {@link adamw} accepts: an AdamW config without `name`, every field optional. */
export type AdamwOptions = Omit<z.input<typeof adamwConfigSchema>, 'name'>;

/**
 * AdamW (Loshchilov & Hutter), exactly torch.optim.AdamW: Adam with decoupled weight decay,
 * `param *= 1 - lr * weightDecay` before the Adam update. It is Adam's rule with different
 * defaults (weightDecay 0.01, decoupledWeightDecay true), not a copy of it.
 *
 * @param params The variables to update, by name.
 * @param options Adam's options; weightDecay defaults to 0.01 and decoupledWeightDecay to true.
 * @throws ConfigError for invalid options.
 *
 * @example
 * const opt = adamw(model, { lr: 1e-3, weightDecay: 0.05, groups: [{ params: ['*bias', '*norm*'], weightDecay: 0 }] });
 */
export function adamw(params: NamedVariables, options: AdamwOptions = {}): Optimizer {
  const config = loadConfigObject({ ...options, name: 'adamw' }, adamwConfigSchema, { source: 'optim.adamw' });
  return new GradientOptimizer<AdamwConfig>(adamRule, config, params);
}
