import { ConfigError } from '@omnitrain/core';
import type { FusionHead } from './fusion-head.js';
import { fusions } from './fusions.js';

/**
 * Builds the registered fusion head named by `config.name`: the `fromConfig` of every head, so
 * `fusionFromConfig(head.getConfig())` rebuilds `head` (same seed, same initial weights).
 *
 * @param config `{ name, modalities, outDim, ...options }`, e.g. from a run YAML's model section.
 * @throws ConfigError for an unknown name (listing the registered ones) or invalid options.
 *
 * @example
 * const head = fusionFromConfig({ name: 'low-rank', modalities: { image: 64, audio: 32 }, outDim: 10, rank: 8 });
 * const twin = fusionFromConfig(head.getConfig());
 */
export function fusionFromConfig(config: { name: string; [option: string]: unknown }): FusionHead {
  if (typeof config?.name !== 'string') {
    throw new ConfigError({
      op: 'fusion.fromConfig',
      expected: 'a config object with a string "name"',
      received: JSON.stringify(config) ?? String(config),
      hint: `registered: ${fusions.list().join(', ')}`,
    });
  }
  const { name, ...options } = config;
  return fusions.get(name)(options as never);
}
