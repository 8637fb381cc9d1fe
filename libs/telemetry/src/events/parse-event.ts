import { ConfigError, DataError, loadConfigObject, Registry } from '@omnitrain/core';
import type { z } from 'zod';
import { EVENT_SCHEMA_VERSION, telemetryEventSchema } from './event-schema.js';
import type { TelemetryEvent } from './event-schema.js';

/** Each kind's schema, so an event is checked against its own kind and unknown kinds get a suggestion. */
const kinds = new Registry<z.ZodType<TelemetryEvent>>('event kind');
for (const option of telemetryEventSchema.options) kinds.register(option.shape.kind.value, option);

/**
 * Validates one telemetry event (parsed JSON from a log line or an HTTP body) against the
 * contract, filling in defaults and turning `"NaN"`/`"Infinity"` back into numbers.
 *
 * @param value The event as plain JSON.
 * @param source Where it came from, put in front of each issue: `events.jsonl:12`. Default: none.
 * @returns The event.
 * @throws DataError when the event was written by a newer contract version than this reader's.
 * @throws ConfigError for an unknown kind (naming the nearest) or listing every field that does
 *   not match the contract.
 *
 * @example
 * const event = parseEvent(JSON.parse(line), `${file}:${lineNumber}`);
 */
export function parseEvent(value: unknown, source?: string): TelemetryEvent {
  const { v: version, kind } = (typeof value === 'object' && value !== null ? value : {}) as { v?: unknown; kind?: unknown };
  if (typeof version === 'number' && version > EVENT_SCHEMA_VERSION) {
    throw new DataError({
      op: 'telemetry.parseEvent',
      expected: `event contract version ${EVENT_SCHEMA_VERSION}`,
      received: `version ${version}`,
      where: source,
      hint: 'the writer is newer than this reader; upgrade @omnitrain/telemetry where the events are read',
    });
  }
  if (typeof kind !== 'string') {
    throw new ConfigError({
      op: 'telemetry.parseEvent',
      expected: `an event object with a string "kind" (${kinds.list().join(', ')})`,
      received: JSON.stringify(value)?.slice(0, 80) ?? String(value),
      where: source,
    });
  }
  return loadConfigObject(value, kinds.get(kind), { source });
}
