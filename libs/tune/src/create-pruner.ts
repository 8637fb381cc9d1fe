import { Registry } from '@omnitrain/core';
import { medianPruner } from './median-pruner.js';
import type { Pruner } from './pruner.js';
import { successiveHalvingPruner } from './successive-halving-pruner.js';

/**
 * The pruners by name: `asha` (successive halving, eta 3, rungs 1, 3, 9, ...), `median`
 * (after 2 completed trials), `none`; add yours with `pruners.register`.
 *
 * @example
 * pruners.list(); // ['asha', 'median', 'none']
 */
export const pruners = new Registry<() => Pruner | undefined>('pruner');
pruners.register('asha', () => successiveHalvingPruner());
pruners.register('median', () => medianPruner({ startupTrials: 2 }));
pruners.register('none', () => undefined);

/**
 * Builds a pruner by name (undefined for `none`).
 * @throws ConfigError for an unknown name, with a suggestion.
 *
 * @example
 * const pruner = createPruner('asha');
 */
export function createPruner(name: string): Pruner | undefined {
  return pruners.get(name)();
}
