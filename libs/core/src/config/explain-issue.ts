import type { z } from 'zod';
import { nearest } from '../registry.js';
import { describeSchema } from './describe-schema.js';
import { keysAtPath, schemaAtPath } from './schema-at-path.js';
import { valueAtPath } from './value-at-path.js';

/** One config problem in the words a user reads; the caller decides where it is placed. */
export interface ExplainedIssue {
  /** Field path: `['layers', 2, 'units']`. */
  path: PropertyKey[];
  /** Whether the problem is the key itself (an unknown key) or the value under it. */
  at: 'key' | 'value';
  /** `expected number > 0, got "fast"`, `unknown key; did you mean "lr"?`. */
  message: string;
}

/**
 * Rewrites one zod issue as what the field expected, described from its schema, and what the
 * config holds there, as JSON. An unknown key becomes one issue per key with the nearest valid
 * key suggested; a failed union is explained through the option the value came closest to.
 *
 * @param issue An issue from `safeParse(schema, input)`.
 * @param schema The root schema that was parsed.
 * @param input The value that was parsed.
 *
 * @example
 * explainIssue(issue, runSchema, { optim: { lr: 'fast' } });
 * // => [{ path: ['optim', 'lr'], at: 'value', message: 'expected number > 0, got "fast"' }]
 */
export function explainIssue(
  issue: z.core.$ZodIssue,
  schema: z.core.$ZodType,
  input: unknown,
): ExplainedIssue[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const keys = keysAtPath(schema, path, input);
    return issue.keys.map((key) => ({ path: [...path, key], at: 'key', message: unknownKey(key, keys) }));
  }
  if (issue.code === 'invalid_union') {
    const option = closestOption(issue.errors);
    if (option) {
      return option.flatMap((i) => explainIssue({ ...i, path: [...path, ...i.path] }, schema, input));
    }
  }
  const got = received(input, path);
  if (issue.code === 'custom') return [{ path, at: 'value', message: `${issue.message}, got ${got}` }];
  const field = schemaAtPath(schema, path, input);
  const expected = field ? describeSchema(field) : issue.message;
  return [{ path, at: 'value', message: `expected ${expected}, got ${got}` }];
}

function unknownKey(key: string, valid: readonly string[]): string {
  const near = nearest(key, valid);
  if (near) return `unknown key; did you mean "${near}"?`;
  return valid.length
    ? `unknown key; expected one of ${valid.map((k) => `"${k}"`).join(', ')}`
    : 'unknown key; this object takes no keys';
}

/**
 * The option whose value had the right type (no issue at the union itself) and the fewest
 * issues inside, if exactly one: `{kind: mlp, hidden: x}` is an mlp with a bad `hidden`.
 */
function closestOption(options: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const typed = options.filter((issues) => issues.every((i) => i.path.length > 0));
  const fewest = Math.min(...typed.map((issues) => issues.length));
  const best = typed.filter((issues) => issues.length === fewest);
  return best.length === 1 ? best[0] : undefined;
}

function received(input: unknown, path: readonly PropertyKey[]): string {
  const { found, value } = valueAtPath(input, path);
  return found ? renderValue(value) : 'nothing (required field is missing)';
}

/** The value as JSON, cut to one short line. */
function renderValue(value: unknown): string {
  let text: string;
  try {
    // JSON would print NaN and Infinity (YAML's .nan, .inf) as null.
    const json = typeof value === 'number' && !Number.isFinite(value) ? undefined : JSON.stringify(value);
    text = json ?? String(value);
  } catch {
    text = String(value); // a BigInt or a cycle
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
