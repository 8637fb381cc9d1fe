import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfigObject } from '@omnitrain/core';
import { z } from 'zod';
import type { TelemetryEvent } from '../events/event-schema.js';
import { serializeEvent } from '../events/serialize-event.js';
import { closedSinkError } from '../sinks/closed-sink-error.js';
import type { Sink } from '../sinks/sink.js';

/** Config of the `http` sink. */
export const httpSinkConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe('Where to POST event batches: the dashboard ingest URL. Required.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Extra request headers, e.g. an authorization token. Default {}.'),
  batchSize: z.number().int().min(1).default(256).describe('Most events per request. Default 256.'),
  maxQueue: z
    .number()
    .int()
    .min(1)
    .default(10_000)
    .describe('Most events held while the server is unreachable; beyond it the oldest are dropped. Default 10000.'),
  flushIntervalMs: z.number().min(0).default(1000).describe('Send pending events at most this many ms after they are written. Default 1000.'),
  timeoutMs: z.number().positive().default(5000).describe('Give up on one request after this many ms. Default 5000.'),
  retryInitialMs: z.number().positive().default(250).describe('Wait before the first retry; doubles per failure. Default 250.'),
  retryMaxMs: z.number().positive().default(30_000).describe('Longest wait between retries. Default 30000.'),
  closeTimeoutMs: z.number().min(0).default(5000).describe('How long close() keeps trying to deliver. Default 5000.'),
});

/** Options of {@link httpSink}. */
export type HttpSinkOptions = z.input<typeof httpSinkConfigSchema> & {
  /** Told when delivery stops, resumes, or drops events. Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
};

/** Delivery counters of an {@link HttpSink}. */
export interface HttpSinkStats {
  /** Events the server accepted. */
  sent: number;
  /** Events dropped (oldest first) because the queue was full while the server was unreachable. */
  dropped: number;
  /** Events the server refused with a 4xx status (not retried). */
  rejected: number;
  /** Events waiting to be sent. */
  queued: number;
  /** Failed attempts since the last success. */
  failures: number;
  /** Why the last attempt failed: `ECONNREFUSED`, `HTTP 503`, ... */
  lastError?: string;
}

/** A sink that sends events to a server; it never throws on delivery problems, it counts them. */
export interface HttpSink extends Sink {
  /** Delivery counters so far. */
  stats(): HttpSinkStats;
}

/**
 * A sink that POSTs events in batches to `url` (the dashboard's ingest endpoint) as JSONL
 * (`application/x-ndjson`, one event per line, as in `events.jsonl`), in `seq` order. Training never
 * waits for or fails because of the server: while it is unreachable or answers 5xx/408/429, batches are
 * retried with exponential backoff and events queue up to `maxQueue`, beyond which the oldest are
 * dropped and counted; each request carries the total dropped so far in `x-omnitrain-dropped`.
 * `flush` tries once (not during a backoff) and `close` keeps trying for `closeTimeoutMs`;
 * neither throws.
 *
 * @throws ConfigError for invalid options.
 *
 * @example
 * const sink = httpSink({ url: 'http://127.0.0.1:6006/api/runs/ingest', headers: { authorization: `Bearer ${token}` } });
 */
export function httpSink(options: HttpSinkOptions): HttpSink {
  const { onWarning = (message: string) => process.emitWarning(message, 'TelemetryWarning'), ...fields } = options;
  return new HttpDelivery(loadConfigObject(fields, httpSinkConfigSchema, { source: 'httpSink' }), onWarning);
}

type Outcome = 'ok' | 'rejected' | 'retry';

class HttpDelivery implements HttpSink {
  readonly #config: z.output<typeof httpSinkConfigSchema>;
  readonly #warn: (message: string) => void;
  /** Serialized events; the queue is `#items[#head..]`, its first `#inflight` being sent. */
  #items: string[] = [];
  #head = 0;
  #inflight = 0;
  #sending: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #retryAt = 0;
  #droppedInOutage = 0;
  #closed = false;
  readonly #stats: Omit<HttpSinkStats, 'queued'> = { sent: 0, dropped: 0, rejected: 0, failures: 0 };

  constructor(config: z.output<typeof httpSinkConfigSchema>, warn: (message: string) => void) {
    this.#config = config;
    this.#warn = warn;
  }

  stats(): HttpSinkStats {
    return { ...this.#stats, queued: this.#size };
  }

  write(event: TelemetryEvent): void {
    if (this.#closed) throw closedSinkError('telemetry.httpSink', this.#config.url);
    this.#items.push(serializeEvent(event));
    const excess = this.#size - this.#config.maxQueue;
    if (excess > 0) this.#drop(excess);
    this.#kick();
  }

  async flush(): Promise<void> {
    if (this.#size > 0 && Date.now() >= this.#retryAt) await this.#drain();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const deadline = Date.now() + this.#config.closeTimeoutMs;
    while (this.#size > 0 && Date.now() < deadline) {
      const wait = Math.min(this.#retryAt, deadline) - Date.now();
      if (wait > 0) await sleep(wait, undefined, { ref: false });
      if (Date.now() < deadline) await this.#drain(deadline);
    }
    await this.#sending;
    clearTimeout(this.#timer);
    if (this.#size > 0) {
      this.#warn(`telemetry.httpSink: closing with ${this.#size} events not delivered to ${this.#config.url} (${this.#stats.lastError ?? 'timed out'})`);
    }
  }

  get #size(): number {
    return this.#items.length - this.#head;
  }

  /** Starts sending now if a batch is full, else within the flush interval; never during a backoff. */
  #kick(): void {
    if (this.#sending !== undefined || this.#timer !== undefined) {
      if (this.#sending === undefined && this.#size >= this.#config.batchSize && Date.now() >= this.#retryAt) void this.#drain();
      return;
    }
    const wait = Math.max(this.#retryAt - Date.now(), this.#size >= this.#config.batchSize ? 0 : this.#config.flushIntervalMs);
    if (wait <= 0) void this.#drain();
    else this.#timer = setTimeout(() => void this.#drain(), wait).unref();
  }

  #drain(deadline = Infinity): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#sending ??= this.#sendAll(deadline).finally(() => {
      this.#sending = undefined;
      if (this.#size > 0 && !this.#closed) this.#kick();
    });
    return this.#sending;
  }

  /** Sends batches until the queue is empty or an attempt fails (then a backoff starts). */
  async #sendAll(deadline: number): Promise<void> {
    while (this.#size > 0) {
      const batch = this.#items.slice(this.#head, this.#head + this.#config.batchSize);
      this.#inflight = batch.length;
      const outcome = await this.#post(batch, Math.min(this.#config.timeoutMs, Math.max(1, deadline - Date.now())));
      const settled = this.#inflight; // the oldest of the batch may have been dropped meanwhile
      this.#inflight = 0;
      if (outcome === 'retry') {
        this.#stats.failures += 1;
        if (this.#stats.failures === 1) {
          this.#warn(`telemetry.httpSink: cannot deliver to ${this.#config.url} (${this.#stats.lastError}); retrying with backoff, keeping the newest ${this.#config.maxQueue} events`);
        }
        const backoff = Math.min(this.#config.retryMaxMs, this.#config.retryInitialMs * 2 ** (this.#stats.failures - 1));
        this.#retryAt = Date.now() + backoff * (0.8 + 0.4 * Math.random()); // jitter: workers do not retry in lockstep
        return;
      }
      this.#head += settled;
      this.#compact();
      if (outcome === 'ok') this.#recovered(settled);
      else this.#stats.rejected += settled;
    }
  }

  #recovered(sent: number): void {
    this.#stats.sent += sent;
    if (this.#stats.failures > 0) {
      this.#warn(`telemetry.httpSink: delivering to ${this.#config.url} again after ${this.#stats.failures} failed attempts; ${this.#droppedInOutage} events were dropped meanwhile`);
    }
    this.#stats.failures = 0;
    this.#retryAt = 0;
    this.#droppedInOutage = 0;
  }

  async #post(lines: string[], timeoutMs: number): Promise<Outcome> {
    try {
      const response = await fetch(this.#config.url, {
        method: 'POST',
        headers: { ...this.#config.headers, 'content-type': 'application/x-ndjson', 'x-omnitrain-dropped': String(this.#stats.dropped) },
        body: `${lines.join('\n')}\n`,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return 'ok';
      this.#stats.lastError = `HTTP ${response.status}`;
      if (response.status === 408 || response.status === 429 || response.status >= 500) return 'retry';
      this.#warn(`telemetry.httpSink: ${this.#config.url} refused ${lines.length} events with HTTP ${response.status} (${text.slice(0, 200)}); they are dropped`);
      return 'rejected';
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      this.#stats.lastError = cause?.code ?? (error as Error).name;
      return 'retry';
    }
  }

  #drop(count: number): void {
    this.#head += count;
    this.#inflight = Math.max(0, this.#inflight - count);
    this.#stats.dropped += count;
    this.#droppedInOutage += count;
    this.#compact();
  }

  /** Forgets the sent and dropped items once they are most of the array. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
