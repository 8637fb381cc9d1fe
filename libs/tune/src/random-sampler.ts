import { Rng } from '@omnitrain/core';
import type { ParamSpec, Params } from './search-space.js';
import type { SampleContext, Sampler } from './sampler.js';

/**
 * Draws one value of `spec`: uniform, log-uniform (uniform in log space), a uniform integer
 * on the step grid, or a uniform choice.
 *
 * @example
 * sampleParam({ loguniform: [1e-4, 1e-1] }, Rng.fromSeed(1));
 */
export function sampleParam(spec: ParamSpec, rng: Rng): number | string | boolean {
  if ('choice' in spec) return spec.choice[rng.int(0, spec.choice.length - 1)]!;
  if ('uniform' in spec) return spec.uniform[0] + rng.float() * (spec.uniform[1] - spec.uniform[0]);
  if ('loguniform' in spec) {
    const [lo, hi] = spec.loguniform.map(Math.log) as [number, number];
    return Math.min(spec.loguniform[1], Math.max(spec.loguniform[0], Math.exp(lo + rng.float() * (hi - lo))));
  }
  const n = Math.floor((spec.int[1] - spec.int[0]) / spec.step);
  return spec.int[0] + spec.step * rng.int(0, n);
}

/**
 * Random search, reproducible from its seed (core's Rng).
 *
 * @param seed The stream's seed. Default 0.
 *
 * @example
 * const sampler = randomSampler(42);
 * sampler.sample({ space, trials: [], direction: 'max' });
 */
export function randomSampler(seed = 0): Sampler {
  const rng = Rng.fromSeed(seed);
  return {
    name: 'random',
    sample({ space }: SampleContext): Params {
      const out: Params = {};
      for (const [path, spec] of Object.entries(space)) out[path] = sampleParam(spec, rng);
      return out;
    },
  };
}
