import { ConfigError, loadConfigObject } from '@omnitrain/core';
import type { Sink, SinkContext } from './sink.js';
import { sinkTypes } from './sink.js';

/** A sink as a run config names it: `{ type: 'jsonl', flushEvery: 64 }`. */
export interface SinkConfig {
  /** A registered sink type: `jsonl`, `tensorboard`, `http`, ... */
  type: string;
  /** The fields of that type's schema. */
  [field: string]: unknown;
}

/**
 * Builds the sink a config names, validating its fields with the type's schema (defaults filled in).
 *
 * @param config `{ type, ...fields }`.
 * @param context The run the sink serves.
 * @throws ConfigError for an unknown type (listing the registered ones) or invalid fields.
 *
 * @example
 * const sink = multiSink(run.telemetry.sinks.map((c) => createSink(c, { runDir, runId })));
 */
export function createSink(config: SinkConfig, context: SinkContext): Sink {
  const { type, ...fields } = config;
  if (typeof type !== 'string') {
    throw new ConfigError({
      op: 'telemetry.createSink',
      expected: `a sink config with a string "type" (${sinkTypes.list().join(', ')})`,
      received: JSON.stringify(config),
    });
  }
  const sinkType = sinkTypes.get(type);
  return sinkType.create(loadConfigObject(fields, sinkType.schema, { source: `sink ${type}` }), context);
}
