import { z } from 'zod';
import { valueAtPath } from './value-at-path.js';

type Schema = z.core.$ZodType;
type ConfigPath = readonly PropertyKey[];

/**
 * The schema of the field at `path` inside `schema`, read alongside the config value `input`
 * so that a union resolves to the option the value is written for (the one whose literal
 * fields, such as `kind: gated`, match). Where several options still fit, the result is their
 * union. Used to say what a field expects and which keys an object allows.
 *
 * @param schema The config's root schema.
 * @param path Field path, as in a zod issue: `['layers', 2, 'units']`.
 * @param input The config value being validated (before parsing).
 * @returns The field's schema, wrappers (optional, default, nullable) kept; undefined if the
 *   schema has no such field.
 *
 * @example schemaAtPath(runSchema, ['optim', 'lr'], raw) // => the z.number().positive() of lr
 */
export function schemaAtPath(schema: Schema, path: ConfigPath, input: unknown): Schema | undefined {
  const found = walk(schema, path, input);
  return found.length <= 1 ? found[0] : z.union(found);
}

/**
 * The keys the object schema at `path` allows (all options' keys, for a union of objects).
 *
 * @example keysAtPath(runSchema, ['optim'], raw) // => ['lr', 'momentum']
 */
export function keysAtPath(schema: Schema, path: ConfigPath, input: unknown): string[] {
  const keys = walk(schema, path, input).flatMap((s) => {
    const def = defOf(unwrap(s));
    return def.type === 'object' ? Object.keys(def.shape) : [];
  });
  return [...new Set(keys)];
}

function defOf(schema: Schema): z.core.$ZodTypes['_zod']['def'] {
  return (schema as z.core.$ZodTypes)._zod.def;
}

/** Strips the wrappers that leave the shape of the written value unchanged. */
function unwrap(schema: Schema): Schema {
  for (;;) {
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'prefault':
      case 'nullable':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
      case 'success':
        schema = def.innerType;
        break;
      case 'lazy':
        schema = def.getter();
        break;
      case 'pipe':
        // The written value meets `in`, unless `in` is a preprocessing transform.
        schema = defOf(def.in).type === 'transform' ? def.out : def.in;
        break;
      default:
        return schema;
    }
  }
}

function walk(schema: Schema, path: ConfigPath, input: unknown): Schema[] {
  if (path.length === 0) return [schema];
  const [head, ...rest] = path as [PropertyKey, ...PropertyKey[]];
  const child = childOf(input, head);
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'object': {
      const field = Object.hasOwn(def.shape, head) ? def.shape[head as string] : undefined;
      const next = field ?? (def.catchall && defOf(def.catchall).type !== 'never' ? def.catchall : undefined);
      return next ? walk(next, rest, child) : [];
    }
    case 'array':
      return walk(def.element, rest, child);
    case 'tuple': {
      const next = def.items[Number(head)] ?? def.rest;
      return next ? walk(next, rest, child) : [];
    }
    case 'record':
      return walk(def.valueType, rest, child);
    case 'intersection':
      return [...walk(def.left, path, input), ...walk(def.right, path, input)];
    case 'union': {
      const fitting = def.options.filter((o) => walk(o, path, input).length > 0);
      const matching = fitting.filter((o) => literalsMatch(o, input));
      return (matching.length ? matching : fitting).flatMap((o) => walk(o, path, input));
    }
    default:
      return [];
  }
}

/** Whether every literal field of an object option (a discriminator) equals the value's. */
function literalsMatch(option: Schema, input: unknown): boolean {
  const def = defOf(unwrap(option));
  if (def.type !== 'object') return true;
  return Object.entries(def.shape).every(([key, field]) => {
    const fieldDef = defOf(unwrap(field));
    return fieldDef.type !== 'literal' || fieldDef.values.includes(childOf(input, key) as never);
  });
}

function childOf(value: unknown, key: PropertyKey): unknown {
  return valueAtPath(value, [key]).value;
}
