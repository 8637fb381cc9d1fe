import type { Sink } from '../sinks/sink.js';
import type { EventDraft, TelemetryEvent } from './event-schema.js';
import { EVENT_SCHEMA_VERSION } from './event-schema.js';
import { parseEvent } from './parse-event.js';

/** Options of {@link RunRecorder}. */
export interface RunRecorderOptions {
  /** The run's id, written in every event. */
  runId: string;
  /** Where events go (often a `multiSink`). */
  sink: Sink;
  /** Sequence number of the first event; a resumed run passes its log's last `seq` + 1. Default 0. */
  firstSeq?: number;
  /** Clock for `time`, in ms since the Unix epoch. Default Date.now. */
  now?: () => number;
}

/**
 * The one writer of a run's events: stamps each draft with the contract version, the next
 * sequence number (0, 1, 2, ... with no gaps), the run id and the time, validates it, and hands it
 * to the sink. Events of other ranks reach the run through this writer (rank 0 or the
 * coordinator), so one run has one sequence.
 *
 * @example
 * const recorder = new RunRecorder({ runId, sink: jsonlSink({ path: join(runDir, 'events.jsonl') }) });
 * recorder.emit({ kind: 'metric', name: 'loss', value: 0.42, step: 10, split: 'train' });
 * await recorder.close();
 */
export class RunRecorder {
  /** The run's id. */
  readonly runId: string;
  readonly #sink: Sink;
  readonly #now: () => number;
  #nextSeq: number;

  constructor(options: RunRecorderOptions) {
    this.runId = options.runId;
    this.#sink = options.sink;
    this.#now = options.now ?? Date.now;
    this.#nextSeq = options.firstSeq ?? 0;
  }

  /** The sequence number the next event will get. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /**
   * Stamps, validates and writes one event; returns it as written (defaults filled in).
   * @throws ConfigError naming every field of the draft that breaks the contract; nothing is written.
   */
  emit(draft: EventDraft): TelemetryEvent {
    const value = { ...draft, v: EVENT_SCHEMA_VERSION, seq: this.#nextSeq, runId: this.runId, time: draft.time ?? this.#now() };
    const event = parseEvent(value, `event ${draft.kind} #${this.#nextSeq}`);
    this.#sink.write(event);
    this.#nextSeq += 1;
    return event;
  }

  /** Flushes the sink. */
  flush(): Promise<void> {
    return this.#sink.flush();
  }

  /** Closes the sink. */
  close(): Promise<void> {
    return this.#sink.close();
  }
}
