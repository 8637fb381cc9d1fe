import type { z } from 'zod';
import { validateConfig } from './validate-config.js';

/** Options of {@link loadConfigObject}. */
export interface LoadConfigObjectOptions {
  /** Where the value came from, put before each issue: `worker 3`, `trial 12`. Default: none. */
  source?: string;
  /** `key.path=value` overrides applied before validation (see `applyOverrides`). Default: none. */
  overrides?: readonly string[];
}

/**
 * Validates a config that did not come from a file (a plain object sent to a worker, a search
 * trial) with `schema`, filling in defaults; issues read as for a YAML file without the line:
 * `worker 3 optim.lr: expected number > 0, got "fast"`.
 *
 * @param value The config value (plain JSON).
 * @param schema Its schema.
 * @param options Source name and overrides.
 * @returns The parsed config, defaults applied.
 * @throws ConfigError listing every issue.
 *
 * @example
 * const runtime = loadConfigObject(message.runtime, runtimeConfigSchema, { source: 'worker 3' });
 */
export function loadConfigObject<S extends z.core.$ZodType>(
  value: unknown,
  schema: S,
  options: LoadConfigObjectOptions = {},
): z.output<S> {
  return validateConfig(value, schema, {
    op: 'config.loadObject',
    where: options.source,
    overrides: options.overrides,
    locate: () => ({ file: options.source }),
  });
}
