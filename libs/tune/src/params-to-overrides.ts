import type { Params } from './search-space.js';

/**
 * Turns a sampled point into `--set`-style overrides (strings quoted so `"1"` stays a string).
 *
 * @example
 * paramsToOverrides({ 'optim.optimizer.lr': 0.01, 'model.fusion.name': 'gated' });
 * // => ['optim.optimizer.lr=0.01', 'model.fusion.name="gated"']
 */
export function paramsToOverrides(params: Params): string[] {
  return Object.entries(params).map(([path, v]) => `${path}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
}
