import type { TelemetryEvent } from '../events/event-schema.js';
import { closedSinkError } from './closed-sink-error.js';
import type { Sink } from './sink.js';

/**
 * One sink that writes every event to each of `sinks`, in order. A sink that fails does not stop
 * the others: each gets every call, and the first failure (or an AggregateError of several) is
 * thrown after all have had theirs.
 *
 * @example
 * const sink = multiSink([jsonlSink({ path }), httpSink({ url })]);
 */
export function multiSink(sinks: readonly Sink[]): Sink {
  let closed = false;
  return {
    write(event: TelemetryEvent): void {
      if (closed) throw closedSinkError('telemetry.multiSink', `${sinks.length} sinks`);
      const errors: unknown[] = [];
      for (const sink of sinks) {
        try {
          sink.write(event);
        } catch (error) {
          errors.push(error);
        }
      }
      throwAll(errors);
    },
    flush: () => settleAll(sinks.map((s) => s.flush())),
    close: () => {
      closed = true;
      return settleAll(sinks.map((s) => s.close()));
    },
  };
}

async function settleAll(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  throwAll(results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])));
}

function throwAll(errors: unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `multiSink: ${errors.length} sinks failed`);
}
