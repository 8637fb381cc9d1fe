// Hand-written option checks (this lib does not depend on zod): each failure is a ConfigError that
// names the operation, the field, the allowed range and the value received.
import { ConfigError } from '@omnitrain/core';

/** Limits of {@link checkNumber}. */
export interface NumberLimits {
  /** Smallest allowed value (inclusive). Default: none. */
  min?: number;
  /** Largest allowed value (inclusive). Default: none. */
  max?: number;
  /** Whether `min` itself is excluded. Default false. */
  minExclusive?: boolean;
  /** Whether the value must be an integer. Default false. */
  integer?: boolean;
}

/**
 * Returns `value` if it is a finite number within `limits`, else throws a ConfigError.
 *
 * @example checkNumber('audio.Gain', 'minDb', -6, { max: 60 }) // -6
 */
export function checkNumber(op: string, name: string, value: unknown, limits: NumberLimits = {}): number {
  const { min, max, minExclusive = false, integer = false } = limits;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || value <= max);
  if (!ok) {
    const lower = min === undefined ? '' : ` ${minExclusive ? '>' : '>='} ${min}`;
    const upper = max === undefined ? '' : `${lower ? ' and' : ''} <= ${max}`;
    throw new ConfigError({
      op,
      expected: `${name} ${integer ? 'an integer' : 'a finite number'}${lower}${upper}`,
      received: JSON.stringify(value) ?? String(value),
    });
  }
  return value as number;
}

/**
 * Returns `value` if it is one of `choices`, else throws a ConfigError listing them.
 *
 * @example checkChoice('audio.TimeShift', 'fill', 'wrap', ['zero', 'wrap'] as const) // 'wrap'
 */
export function checkChoice<T extends string | number | boolean | null>(
  op: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(value as T)) {
    throw new ConfigError({
      op,
      expected: `${name} one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`,
      received: JSON.stringify(value) ?? String(value),
    });
  }
  return value as T;
}

/**
 * Checks that `config` is a plain object of kind `kind` with no fields besides `allowed` (an
 * unknown field is usually a typo), and returns it typed as a partial `T` for a constructor that
 * checks each field's value.
 *
 * @example const c = checkConfig<GainConfig>('Gain.fromConfig', raw, 'gain', ['minDb', 'maxDb']);
 */
export function checkConfig<T extends { kind: string }>(
  op: string,
  config: unknown,
  kind: T['kind'],
  allowed: ReadonlyArray<Exclude<keyof T, 'kind'> & string>,
): Partial<T> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError({ op, expected: `a config object of kind "${kind}"`, received: JSON.stringify(config) ?? String(config) });
  }
  const record = config as Record<string, unknown>;
  if (record.kind !== kind) {
    throw new ConfigError({ op, expected: `kind "${kind}"`, received: JSON.stringify(record.kind) ?? 'no kind' });
  }
  const unknown = Object.keys(record).filter((k) => k !== 'kind' && !(allowed as readonly string[]).includes(k));
  if (unknown.length) {
    throw new ConfigError({
      op,
      expected: `only the fields kind, ${allowed.join(', ')}`,
      received: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      hint: 'check the spelling',
    });
  }
  // The fields' values are checked by the constructor the config is passed to.
  return record as Partial<T>;
}

/**
 * Checks a range such as `minDb`..`maxDb`: both ends within `limits`, and `lower <= upper`.
 *
 * @returns `[lower, upper]`.
 * @example const [minDb, maxDb] = checkRange('audio.Gain', ['minDb', -6], ['maxDb', 6], { min: -120, max: 120 });
 */
export function checkRange(
  op: string,
  [lowerName, lowerValue]: readonly [string, unknown],
  [upperName, upperValue]: readonly [string, unknown],
  limits: NumberLimits = {},
): [number, number] {
  const lower = checkNumber(op, lowerName, lowerValue, limits);
  const upper = upperValue === Infinity ? Infinity : checkNumber(op, upperName, upperValue, limits);
  if (!(lower <= upper)) {
    throw new ConfigError({ op, expected: `${lowerName} <= ${upperName}`, received: `${lowerName}=${lower}, ${upperName}=${upper}` });
  }
  return [lower, upper];
}
