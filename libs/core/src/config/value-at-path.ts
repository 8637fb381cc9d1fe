/** What {@link valueAtPath} found. */
export interface FoundValue {
  /** Whether every key on the path exists (as an own property or array index). */
  found: boolean;
  /** The value there; undefined when not found. */
  value: unknown;
}

/**
 * Reads the value at `path` in a plain config value (objects and arrays), own keys only, so
 * `toString` or `__proto__` never resolve to something inherited.
 *
 * @example valueAtPath({ layers: [{ units: 4 }] }, ['layers', 0, 'units']) // => { found: true, value: 4 }
 */
export function valueAtPath(root: unknown, path: readonly PropertyKey[]): FoundValue {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) {
      return { found: false, value: undefined };
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value };
}
