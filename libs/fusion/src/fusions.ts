import { Registry } from '@omnitrain/core';
import type { FusionHead } from './fusion-head.js';

/**
 * Builds a fusion head from its options, which the factory validates (hence `never`: any
 * factory fits, whatever options type it declares).
 */
export type FusionFactory = (options: never) => FusionHead;

/**
 * The fusion-head registry, by config `name`: early, late, gated, attention, film, low-rank,
 * tensor, cross-attention (registered in register-fusions.ts). Register your own to make it
 * available to `fusionFromConfig` and run configs.
 *
 * @example
 * fusions.register('sum', (options) => sumFusion(options));
 * fusions.get('gatd'); // ConfigError: Unknown fusion "gatd". Available: attention, ... Did you mean "gated"?
 */
export const fusions = new Registry<FusionFactory>('fusion');
