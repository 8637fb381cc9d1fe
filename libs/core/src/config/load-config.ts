import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseConfig } from './parse-config.js';
import type { ParseConfigOptions } from './parse-config.js';

/** Options of {@link loadConfig}. */
export type LoadConfigOptions = Pick<ParseConfigOptions, 'overrides'>;

/**
 * Reads a YAML run file and validates it with `schema` (see {@link parseConfig}): issues are
 * reported against the path as given, `run.yaml:12:5 optim.lr: expected number > 0, got "fast"`.
 *
 * @param file Path of the YAML file.
 * @param schema The run config's schema.
 * @param options `overrides`: `--set key.path=value` strings applied before validation. Default: none.
 * @returns The parsed config, defaults applied.
 * @throws ConfigError if the file cannot be read, is not valid YAML, or does not match `schema`.
 *
 * @example
 * const run = await loadConfig('run.yaml', runSchema, { overrides: ['optim.lr=0.01'] });
 */
export async function loadConfig<S extends z.core.$ZodType>(
  file: string,
  schema: S,
  options: LoadConfigOptions = {},
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError({
      op: 'config.load',
      expected: 'a readable YAML file',
      received: (cause as NodeJS.ErrnoException).code ?? String(cause),
      where: `file ${file}`,
      hint: 'check the path, relative to the current directory',
      cause,
    });
  }
  return parseConfig(text, schema, { source: file, overrides: options.overrides });
}
