import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';
import type { NamedGradients } from '@omnitrain/optim';
import type { ReduceOp, Strategy } from './strategy.js';

/**
 * The strategy of a run on one process: rank 0 of 1, chief, nothing to exchange. Gradients pass
 * through (scaled by `weight` when a caller gives a share other than 1), numbers reduce to
 * themselves, barriers return at once.
 *
 * @returns A {@link Strategy} named `single`.
 *
 * @example
 * const trainer = new Trainer({ model, optimizer, train, strategy: singleProcessStrategy() });
 */
export function singleProcessStrategy(): Strategy {
  return {
    name: 'single',
    rank: 0,
    worldSize: 1,
    isChief: true,
    setup: async () => undefined,
    reduceGradients: async (grads: NamedGradients, info) => {
      if (info.weight === 1) return grads;
      const scaled = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, tf.mul(g, info.weight)])));
      tf.dispose(Object.values(grads));
      return scaled;
    },
    reduceNumbers: async (values: readonly number[], op: ReduceOp) => {
      if (!['sum', 'mean', 'max', 'min'].includes(op)) {
        throw new ConfigError({ op: 'engine.singleProcessStrategy.reduceNumbers', expected: 'sum, mean, max or min', received: String(op) });
      }
      return [...values];
    },
    afterStep: async () => undefined,
    barrier: async () => undefined,
    teardown: async () => undefined,
  };
}
