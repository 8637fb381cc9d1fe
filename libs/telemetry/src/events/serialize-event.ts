import type { TelemetryEvent, TelemetryEventInput } from './event-schema.js';

/**
 * One event as one line of JSON (without the newline). NaN and infinities, which JSON cannot
 * hold, are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, which `parseEvent`
 * reads back as numbers.
 *
 * @example
 * serializeEvent(event); // '{"v":1,"seq":3,...,"kind":"metric","name":"loss","value":"NaN",...}'
 */
export function serializeEvent(event: TelemetryEvent | TelemetryEventInput): string {
  return JSON.stringify(event, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}
