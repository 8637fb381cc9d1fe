import { Registry } from '@omnitrain/core';
import type { z } from 'zod';
import type { TelemetryEvent } from '../events/event-schema.js';

/**
 * Where telemetry events go: a file, a dashboard, several at once. `write` never waits and never
 * does I/O itself, so a training step never blocks on telemetry; sinks batch and deliver in the
 * background, and `flush` waits for what was written so far.
 *
 * Every sink passes the shared conformance suite (`sink-conformance.test.ts`): events arrive in
 * `seq` order, `flush` delivers them, `close` flushes and may be called twice, and `write` after
 * `close` throws.
 *
 * @example
 * const sink = multiSink([jsonlSink({ path: 'runs/a/events.jsonl' }), tensorboardSink({ dir: 'runs/a/tb' })]);
 * sink.write(event);
 * await sink.close();
 */
export interface Sink {
  /** Queues one validated event; throws only when the sink is closed. */
  write(event: TelemetryEvent): void;
  /** Delivers every event written so far (or, for a sink that must not fail training, tries to). */
  flush(): Promise<void>;
  /** Flushes, then releases files, timers and connections. Calling it again does nothing. */
  close(): Promise<void>;
}

/** What a sink created from a config may need to know about its run. */
export interface SinkContext {
  /** The run's directory; file sinks write under it by default. */
  runDir: string;
  /** The run's id. */
  runId: string;
}

/**
 * A kind of sink that can be built from a config: its zod schema (every field documented with its
 * default) and a factory taking the parsed config.
 *
 * @example
 * sinkTypes.register('jsonl', { schema: jsonlSinkConfigSchema, create: (c, ctx) => jsonlSink({ ...c, path: c.path ?? join(ctx.runDir, 'events.jsonl') }) });
 */
export interface SinkType<S extends z.ZodType = z.ZodType> {
  /** The config schema, without the `type` key. */
  schema: S;
  /** Builds the sink from a parsed config. */
  create(config: z.output<S>, context: SinkContext): Sink;
}

/**
 * The sinks a run config can name (`jsonl`, `tensorboard`, `http`), registered in this lib's
 * `register-sinks.ts`; other code may register more.
 *
 * @example sinkTypes.get('jsonl').create(config, { runDir, runId });
 */
export const sinkTypes = new Registry<SinkType>('sink');
