import { Registry } from '@omnitrain/core';
import { gridSampler } from './grid-sampler.js';
import { randomSampler } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { tpeSampler } from './tpe-sampler.js';

/** Common sampler options: the seed (random, TPE) and grid points per continuous range. */
export interface SamplerOptions {
  seed?: number;
  gridPoints?: number;
}

/**
 * The samplers by name (`grid`, `random`, `tpe`); add yours with `samplers.register`.
 *
 * @example
 * samplers.list(); // ['grid', 'random', 'tpe']
 */
export const samplers = new Registry<(options: SamplerOptions) => Sampler>('sampler');
samplers.register('grid', (o) => gridSampler({ points: o.gridPoints }));
samplers.register('random', (o) => randomSampler(o.seed));
samplers.register('tpe', (o) => tpeSampler({ seed: o.seed }));

/**
 * Builds a sampler by name.
 * @throws ConfigError for an unknown name, with a suggestion.
 *
 * @example
 * const sampler = createSampler('tpe', { seed: 1 });
 */
export function createSampler(name: string, options: SamplerOptions = {}): Sampler {
  return samplers.get(name)(options);
}
