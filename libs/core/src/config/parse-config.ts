import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import { validateConfig } from './validate-config.js';
import { yamlPosition } from './yaml-position.js';

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The file name issues are reported against: `run.yaml`. Default: `<string>`. */
  source?: string;
  /** `--set key.path=value` overrides, applied before validation (see `applyOverrides`). Default: none. */
  overrides?: readonly string[];
}

/**
 * Parses a YAML run config and validates it with `schema`, filling in defaults. Every problem is
 * collected and thrown as one ConfigError, one line per issue, placed at the offending value:
 * `run.yaml:12:5 optim.lr: expected number > 0, got "fast"`,
 * `run.yaml:3:3 optim.lerning_rate: unknown key; did you mean "learning_rate"?`. YAML syntax
 * errors are reported the same way. Build config schemas from `z.strictObject` so unknown keys
 * are rejected.
 *
 * @param text The YAML text (one document).
 * @param schema The run config's schema.
 * @param options Source name and overrides.
 * @returns The parsed config (the schema's output, defaults applied).
 * @throws ConfigError listing every issue.
 *
 * @example
 * const cfg = parseConfig('runtime:\n  seed: 7\n', z.strictObject({ runtime: runtimeConfigSchema }), {
 *   source: 'run.yaml',
 *   overrides: ['runtime.backend=wasm'],
 * });
 * // => { runtime: { backend: 'wasm', seed: 7, deterministic: true } }
 */
export function parseConfig<S extends z.core.$ZodType>(
  text: string,
  schema: S,
  options: ParseConfigOptions = {},
): z.output<S> {
  const source = options.source ?? '<string>';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = `file ${source}`;
  const yamlError = (issues: ConfigIssue[]) => {
    const received = issues.length === 1 ? 'a syntax error' : `${issues.length} syntax errors`;
    return new ConfigError({ op: 'config.load', expected: 'valid YAML', received, where }, issues);
  };
  if (doc.errors.length) {
    throw yamlError(
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { file: source, line, column: col, path: '', message: `invalid YAML: ${e.message}` };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (cause) {
    // An alias with no anchor, or too many aliases, only shows when the document is built.
    throw yamlError([{ file: source, path: '', message: `invalid YAML: ${(cause as Error).message}` }]);
  }
  return validateConfig(value, schema, {
    op: 'config.load',
    where,
    overrides: options.overrides,
    locate: (path, at) => ({ file: source, ...yamlPosition(doc, lineCounter, path, at) }),
  });
}
