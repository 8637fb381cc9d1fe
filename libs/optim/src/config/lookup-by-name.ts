import { ConfigError } from '@omnitrain/core';
import type { Registry } from '@omnitrain/core';

/**
 * The registry entry named by `config.name`, the first step of every `create*` from a config.
 *
 * @param registry Where to look.
 * @param config The config object; anything without a string `name` is an error.
 * @param op The operation named in errors (`optim.createOptimizer`).
 * @throws ConfigError without a name, or for an unknown one (listing the registered names).
 *
 * @example
 * const factory = lookupByName(schedules, { name: 'cosine', tMax: 10 }, 'optim.createSchedule');
 */
export function lookupByName<T>(registry: Registry<T>, config: unknown, op: string): T {
  const name = (config as { name?: unknown } | null | undefined)?.name;
  if (typeof name !== 'string') {
    throw new ConfigError({
      op,
      expected: 'a config object with a string "name"',
      received: JSON.stringify(config) ?? String(config),
      hint: `registered: ${registry.list().join(', ')}`,
    });
  }
  return registry.get(name);
}
