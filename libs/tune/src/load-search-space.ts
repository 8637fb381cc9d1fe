import { loadConfig, parseConfig } from '@omnitrain/core';
import { searchSpaceSchema } from './search-space.js';
import type { SearchSpace } from './search-space.js';

/**
 * Reads and validates a search-space YAML/JSON file; problems are reported as
 * `space.yaml:3:14 optim.optimizer.lr.loguniform: expected low > 0 ...` (core's config loader).
 *
 * @param file The space file.
 * @returns The validated space.
 * @throws ConfigError naming file:line:col for every problem.
 *
 * @example
 * const space = await loadSearchSpace('examples/tune-space.yaml');
 */
export async function loadSearchSpace(file: string): Promise<SearchSpace> {
  return loadConfig(file, searchSpaceSchema);
}

/**
 * Parses a search space from YAML/JSON text (see {@link loadSearchSpace}).
 *
 * @param text The YAML.
 * @param source Name used in error messages. Default `search space`.
 *
 * @example
 * parseSearchSpace('optim.optimizer.lr: { loguniform: [1e-4, 1e-1] }');
 */
export function parseSearchSpace(text: string, source = 'search space'): SearchSpace {
  return parseConfig(text, searchSpaceSchema, { source });
}
