import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import { applyOverrides, parseOverride } from './apply-overrides.js';
import type { Override } from './apply-overrides.js';
import { explainIssue } from './explain-issue.js';
import { valueAtPath } from './value-at-path.js';

/** Where a field was written: `file`, and `line`/`column` when known. */
export type IssuePlace = Pick<ConfigIssue, 'file' | 'line' | 'column'>;

/** Options of {@link validateConfig}. */
export interface ValidateConfigOptions {
  /** The operation named in the error: `config.load`. */
  op: string;
  /** Where the config came from, for the error's first line: `file run.yaml`. Default: none. */
  where?: string;
  /** `key.path=value` overrides applied before validation. Default: none. */
  overrides?: readonly string[];
  /** Where the value (or, for an unknown key, the key) at `path` was written. */
  locate: (path: readonly PropertyKey[], at: 'key' | 'value') => IssuePlace;
}

/**
 * Applies overrides, parses `value` with `schema` (filling defaults) and, if it fails, throws one
 * ConfigError listing every issue, each placed where its value came from: the override that set
 * it (`--set optim.lr=fast`), else `options.locate`. The shared last step of every config loader.
 *
 * @returns The parsed config, defaults filled in.
 * @throws ConfigError with one {@link ConfigIssue} per problem.
 *
 * @example
 * validateConfig(raw, runSchema, { op: 'config.load', locate: () => ({ file: 'worker 3' }) });
 */
export function validateConfig<S extends z.core.$ZodType>(
  value: unknown,
  schema: S,
  options: ValidateConfigOptions,
): z.output<S> {
  const overrides = options.overrides ?? [];
  const input = overrides.length ? applyOverrides(value, overrides) : value;
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;

  const parsed = overrides.map(parseOverride).reverse(); // the last override of a path wins
  const issues = result.error.issues
    .flatMap((issue) => explainIssue(issue, schema, input))
    .map(({ path, at, message }): ConfigIssue => {
      const override = blame(parsed, path, value);
      const place = override ? { file: `--set ${override.text}` } : options.locate(path, at);
      return { ...place, path: path.map(String).join('.'), message };
    });
  throw new ConfigError(
    {
      op: options.op,
      expected: 'a config that matches its schema',
      received: `${issues.length} issue${issues.length === 1 ? '' : 's'}`,
      where: options.where,
    },
    issues,
  );
}

/**
 * The override that put the value at `path` there: one that set it or a field above it, or one
 * that set a field below it where the config had nothing (creating the objects on the way).
 */
function blame(overrides: readonly Override[], path: readonly PropertyKey[], original: unknown) {
  const keys = path.map(String);
  const startsWith = (long: readonly string[], short: readonly string[]) =>
    short.length <= long.length && short.every((k, i) => long[i] === k);
  return (
    overrides.find((o) => startsWith(keys, o.path)) ??
    (valueAtPath(original, path).found ? undefined : overrides.find((o) => startsWith(o.path, keys)))
  );
}
