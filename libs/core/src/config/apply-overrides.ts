import { isCollection, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';

/** One `--set key.path=value` override, split into its path and its YAML-parsed value. */
export interface Override {
  /** The override as written: `optim.lr=0.01`. */
  text: string;
  /** The key path: `['optim', 'lr']`; list items by index: `['layers', '2', 'units']`. */
  path: string[];
  /** The value, read as YAML: `0.01`, `true`, `null`, `[1, 2]`, `digits`. */
  value: unknown;
  /** Why the override cannot be read, if it cannot. */
  problem?: string;
}

type Container = Record<string, unknown> | unknown[];

/**
 * Applies `--set` overrides to a config value, as the CLI does before validation. Each override
 * is `key.path=value`: the value is read as one YAML scalar or flow collection (`0.01` is a
 * number, `true` a boolean, `null` null, `[1, 2]` a list, `digits` a string; quote to keep a
 * string: `name="1"`; an empty value is the empty string). Missing objects on the path are
 * created; a list item is addressed by its index (`layers.2.units=64`, the index may be the
 * list's length to append). Later overrides win. The input is not modified.
 *
 * @param obj The config value (plain JSON: objects, lists, scalars); null or undefined counts
 *   as an empty object.
 * @param overrides Overrides as written after `--set`.
 * @returns A copy of `obj` with the overrides applied.
 * @throws ConfigError listing every malformed override (`--set optim.lr: expected key.path=value,
 *   got no "="`), or one that would set a field inside a scalar.
 *
 * @example
 * applyOverrides({ optim: { lr: 0.1 } }, ['optim.lr=0.01', 'data.name=digits']);
 * // => { optim: { lr: 0.01 }, data: { name: 'digits' } }
 */
export function applyOverrides(obj: unknown, overrides: readonly string[]): Record<string, unknown> {
  const root: unknown = obj === null || obj === undefined ? {} : structuredClone(obj);
  const issues: ConfigIssue[] = [];
  for (const override of overrides.map(parseOverride)) {
    const problem =
      override.problem ??
      (isMapping(root)
        ? setPath(root, override.path, override.value)
        : `expected a mapping at the top level to set fields in, got ${JSON.stringify(root)}`);
    if (problem !== undefined) {
      issues.push({ file: `--set ${override.text}`, path: override.path.join('.'), message: problem });
    }
  }
  if (issues.length) {
    throw new ConfigError(
      {
        op: 'config.applyOverrides',
        expected: 'overrides written key.path=value',
        received: `${issues.length} malformed override${issues.length === 1 ? '' : 's'}`,
        hint: 'write --set optim.lr=0.01; values are read as YAML, quote one to keep it a string',
      },
      issues,
    );
  }
  return root as Record<string, unknown>;
}

/**
 * Splits `key.path=value` and reads the value as YAML; a malformed override comes back with
 * `problem` set rather than throwing, so every one can be reported at once.
 *
 * @example
 * parseOverride('optim.betas=[0.9, 0.99]');
 * // => { text: 'optim.betas=[0.9, 0.99]', path: ['optim', 'betas'], value: [0.9, 0.99] }
 */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const key = (eq < 0 ? text : text.slice(0, eq)).trim();
  const path = key === '' ? [] : key.split('.');
  const fail = (problem: string): Override => ({ text, path, value: undefined, problem });
  if (eq < 0) return fail('expected key.path=value, got no "="');
  if (path.length === 0 || path.some((k) => k === '' || k === '__proto__')) {
    return fail(`expected a dotted key path like optim.lr before "=", got ${JSON.stringify(key)}`);
  }
  const source = text.slice(eq + 1);
  if (source === '') return { text, path, value: '' };
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length) {
    return fail(`expected a YAML value, got ${JSON.stringify(source)} (${doc.errors[0]!.message})`);
  }
  if (isCollection(doc.contents) && !doc.contents.flow) {
    return fail(
      `expected a YAML scalar or flow list like [1, 2], got ${JSON.stringify(source)}; ` +
        'quote it to set a string',
    );
  }
  return { text, path, value: doc.toJS() };
}

/** Sets `value` at `path` under `root`, creating objects on the way; returns a problem or undefined. */
function setPath(root: Container, path: readonly string[], value: unknown): string | undefined {
  let node: Container = root;
  for (const [i, key] of path.entries()) {
    const at = path.slice(0, i + 1).join('.');
    if (Array.isArray(node) && !(/^\d+$/.test(key) && Number(key) <= node.length)) {
      return `expected a list index from 0 to ${node.length} at ${at}, got "${key}"`;
    }
    const slot = node as Record<string, unknown>;
    if (i === path.length - 1) {
      slot[key] = value;
      break;
    }
    const next = Object.hasOwn(slot, key) ? slot[key] : undefined;
    if (next === undefined || next === null) {
      slot[key] = {};
    } else if (typeof next !== 'object') {
      return `expected a mapping at ${at} to set ${path.join('.')} in, got ${JSON.stringify(next)}`;
    }
    node = slot[key] as Container;
  }
  return undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
