// Test helper: a sink that keeps events in an array.
import type { Sink, TelemetryEvent } from '@omnitrain/telemetry';

/**
 * A sink holding what it was given in `events`.
 *
 * @example const sink = memorySink(); new RunRecorder({ runId: 'r', sink }).emit(draft); sink.events;
 */
export function memorySink(): Sink & { events: TelemetryEvent[] } {
  const events: TelemetryEvent[] = [];
  return { events, write: (e) => void events.push(e), flush: async () => {}, close: async () => {} };
}
