import { lookupByName } from '../config/lookup-by-name.js';
import type { NamedConfig, NamedVariables, Optimizer } from './optimizer.js';
import { optimizers } from './optimizers.js';

/**
 * Builds the registered optimizer named by `config.name` over `params`: the `fromConfig` of every
 * optimizer, so `createOptimizer(params, opt.getConfig())` rebuilds `opt` (state aside).
 *
 * @param params The variables to update, by name.
 * @param config `{ name, ...options }`, e.g. from a run YAML's `optim.optimizer`.
 * @throws ConfigError for an unknown name (listing the registered ones) or invalid options.
 *
 * @example
 * const opt = createOptimizer({ w, b }, { name: 'sgd', lr: 0.1, momentum: 0.9 });
 * const twin = createOptimizer({ w: w2, b: b2 }, opt.getConfig());
 */
export function createOptimizer(params: NamedVariables, config: NamedConfig): Optimizer {
  return lookupByName(optimizers, config, 'optim.createOptimizer')(params, config as never);
}
