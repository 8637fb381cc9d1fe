import { Registry } from '@omnitrain/core';
import type { NamedVariables, Optimizer } from './optimizer.js';

/**
 * Builds an optimizer over `params` from a config object, which the factory validates (hence
 * `never`: any factory fits, whatever options type it declares).
 */
export type OptimizerFactory = (params: NamedVariables, config: never) => Optimizer;

/**
 * The optimizer registry, by config `name`: sgd, adagrad, rmsprop, adam, adamw (registered in
 * register-optimizers.ts). Register your own to make it available to `createOptimizer` and configs.
 *
 * @example
 * optimizers.register('lion', (params, config) => lion(params, config));
 * optimizers.get('adm'); // ConfigError: Unknown optimizer "adm". Available: adagrad, adam, ... Did you mean "adam"?
 */
export const optimizers = new Registry<OptimizerFactory>('optimizer');
