import { z } from 'zod';

type JsonSchema = z.core.JSONSchema._JSONSchema;

/**
 * Says in words what values a schema accepts, for error messages: `number > 0`, `integer >= 1`,
 * `one of "adam", "sgd"`, `array of integer >= 1 with at least 1 item`, `number or null`.
 * Works from the schema's JSON Schema (`z.toJSONSchema`, input side), so it covers every
 * constraint that JSON Schema can express; refinements (`.refine`) are not described.
 *
 * @param schema Any zod schema, usually one field of a config.
 * @returns A short phrase; `any value` for schemas that accept anything or cannot be described.
 *
 * @example
 * describeSchema(z.number().positive());          // => 'number > 0'
 * describeSchema(z.enum(['adam', 'sgd']));         // => 'one of "adam", "sgd"'
 * describeSchema(z.int().min(1).max(8).optional()); // => 'integer >= 1 and <= 8'
 */
export function describeSchema(schema: z.core.$ZodType): string {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', cycles: 'ref' });
  } catch {
    // Schemas JSON Schema cannot hold (e.g. a transform's output side) get the generic phrase.
    return 'any value';
  }
  return describeJson(json);
}

function describeJson(s: JsonSchema): string {
  if (s === true) return 'any value';
  if (s === false) return 'nothing';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return oneOf(s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return describeAlternatives(alternatives);
  if (Array.isArray(s.type)) return s.type.map((type) => describeJson({ ...s, type })).join(' or ');
  switch (s.type) {
    case 'number':
    case 'integer':
      return describeNumber(s, s.type);
    case 'string':
      return describeString(s);
    case 'array':
      return describeArray(s);
    case 'object':
      return typeof s.additionalProperties === 'object'
        ? `object with ${describeJson(s.additionalProperties)} values`
        : 'object';
    case 'boolean':
    case 'null':
      return s.type;
  }
  if (s.allOf) return s.allOf.map(describeJson).join(' and ');
  if (typeof s.not === 'object' && Object.keys(s.not).length === 0) return 'nothing';
  return 'any value';
}

function oneOf(values: ReadonlyArray<unknown>): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length === 1 ? quoted[0]! : `one of ${quoted.join(', ')}`;
}

/** `"a" or "b"` reads better as `one of "a", "b"`, so literal-only unions are merged. */
function describeAlternatives(alternatives: readonly z.core.JSONSchema.JSONSchema[]): string {
  const literals = alternatives.flatMap((a) => (a.const !== undefined ? [a.const] : (a.enum ?? [undefined])));
  if (!literals.includes(undefined)) return oneOf(literals);
  return alternatives.map(describeJson).join(' or ');
}

function describeNumber(s: z.core.JSONSchema.JSONSchema, type: 'number' | 'integer'): string {
  // z.int() bounds integers to the safe range; that is not worth saying.
  const safe = (bound: number | undefined) =>
    bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER ? bound : undefined;
  const bounds: string[] = [];
  if (typeof s.exclusiveMinimum === 'number') bounds.push(`> ${s.exclusiveMinimum}`);
  if (safe(s.minimum) !== undefined) bounds.push(`>= ${s.minimum}`);
  if (typeof s.exclusiveMaximum === 'number') bounds.push(`< ${s.exclusiveMaximum}`);
  if (safe(s.maximum) !== undefined) bounds.push(`<= ${s.maximum}`);
  const multiple = s.multipleOf === undefined ? '' : `, multiple of ${s.multipleOf}`;
  return [type, bounds.join(' and ')].filter(Boolean).join(' ') + multiple;
}

function describeString(s: z.core.JSONSchema.JSONSchema): string {
  const base = s.format ? `string (${s.format})` : 'string';
  const nonEmpty = s.minLength === 1 && s.maxLength === undefined;
  const lengths =
    s.minLength !== undefined && s.minLength === s.maxLength
      ? [`${s.minLength}`]
      : [
          s.minLength !== undefined && !nonEmpty ? `>= ${s.minLength}` : '',
          s.maxLength !== undefined ? `<= ${s.maxLength}` : '',
        ].filter(Boolean);
  const pattern = s.pattern !== undefined && !s.format ? ` matching /${s.pattern}/` : '';
  const length = lengths.length ? ` of length ${lengths.join(' and ')}` : '';
  return `${nonEmpty ? 'non-empty ' : ''}${base}${length}${pattern}`;
}

function describeArray(s: z.core.JSONSchema.JSONSchema): string {
  if (s.prefixItems) return `[${s.prefixItems.map(describeJson).join(', ')}]`;
  const items = s.items === undefined || Array.isArray(s.items) ? 'any value' : describeJson(s.items);
  const count = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  const size =
    s.minItems !== undefined && s.minItems === s.maxItems
      ? ` with exactly ${count(s.minItems)}`
      : (s.minItems ? ` with at least ${count(s.minItems)}` : '') +
        (s.maxItems !== undefined ? `${s.minItems ? ' and' : ' with'} at most ${count(s.maxItems)}` : '');
  return `array of ${items}${size}`;
}
