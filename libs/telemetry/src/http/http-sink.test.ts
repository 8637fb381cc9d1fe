import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { httpSink, RunRecorder } from '@omnitrain/telemetry';
import type { HttpSinkOptions, TelemetryEvent } from '@omnitrain/telemetry';
import { startIngestServer } from '../../test-fixtures/ingest-server.js';
import { memorySink } from '../../test-fixtures/memory-sink.js';

function metrics(count: number): TelemetryEvent[] {
  const recorder = new RunRecorder({ runId: 'r', sink: memorySink() });
  return Array.from({ length: count }, (_, step) => recorder.emit({ kind: 'metric', name: 'loss', value: Math.random(), step, split: 'train' }));
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function sinkWith(options: HttpSinkOptions) {
  const warnings: string[] = [];
  const sink = httpSink({ flushIntervalMs: 10, retryInitialMs: 10, retryMaxMs: 40, onWarning: (m) => warnings.push(m), ...options });
  return { sink, warnings };
}

describe('httpSink', () => {
  it('POSTs batches as JSONL, in seq order', async () => {
    const server = await startIngestServer();
    const { sink, warnings } = sinkWith({ url: server.url, batchSize: 5, headers: { authorization: 'Bearer t0k' } });
    const events = metrics(23);
    for (const event of events) sink.write(event);
    await sink.flush();
    expect(server.seqs()).toEqual(events.map((e) => e.seq));
    expect(server.requests.every((r) => r.events.length <= 5)).toBe(true);
    expect(server.requests[0]!.events[0]).toEqual(JSON.parse(JSON.stringify(events[0])));
    expect(server.requests[0]!.headers).toMatchObject({ 'content-type': 'application/x-ndjson', authorization: 'Bearer t0k', 'x-omnitrain-dropped': '0' });
    await sink.close();
    expect(sink.stats()).toEqual({ sent: 23, dropped: 0, rejected: 0, queued: 0, failures: 0 });
    expect(warnings).toEqual([]);
    expect(() => sink.write(events[0]!)).toThrow(/httpSink.write: expected an open sink, got a closed one/);
  });

  it('retries a batch the server fails (503), with backoff, without losing or repeating events', async () => {
    const server = await startIngestServer({ status: (n) => (n < 3 ? 503 : 200) });
    const { sink, warnings } = sinkWith({ url: server.url, batchSize: 4 });
    const events = metrics(10);
    for (const event of events) sink.write(event);
    await until(() => server.seqs().length === 10);
    expect(server.seqs()).toEqual(events.map((e) => e.seq));
    expect(warnings).toEqual([
      expect.stringMatching(/cannot deliver to .* \(HTTP 503\); retrying with backoff/),
      expect.stringMatching(/delivering to .* again after 3 failed attempts; 0 events were dropped meanwhile/),
    ]);
    await sink.close();
  });

  it('never throws or blocks while the server is down, keeps the newest maxQueue events, and delivers them when it is back', async () => {
    const gone = await startIngestServer();
    const port = gone.port;
    await gone.close();
    const { sink, warnings } = sinkWith({ url: `http://127.0.0.1:${port}/ingest`, batchSize: 20, maxQueue: 50 });
    const events = metrics(200);
    const started = Date.now();
    for (const event of events) sink.write(event);
    await sink.flush();
    await new Promise((r) => setTimeout(r, 60));
    await sink.flush(); // during a backoff: returns at once
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sink.stats()).toMatchObject({ sent: 0, dropped: 150, queued: 50, lastError: 'ECONNREFUSED' });
    expect(sink.stats().failures).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/cannot deliver to http:\/\/127\.0\.0\.1:\d+\/ingest \(ECONNREFUSED\); retrying with backoff, keeping the newest 50 events/);

    const back = await startIngestServer({ port });
    await until(() => back.seqs().length === 50);
    expect(back.seqs()).toEqual(events.slice(150).map((e) => e.seq));
    expect(back.requests[0]!.headers['x-omnitrain-dropped']).toBe('150');
    expect(warnings.at(-1)).toMatch(/again after \d+ failed attempts; 150 events were dropped meanwhile/);
    sink.write(metrics(201)[200]!);
    await sink.close();
    expect(back.seqs().at(-1)).toBe(200);
    expect(sink.stats()).toMatchObject({ sent: 51, dropped: 150, queued: 0, failures: 0 });
  });

  it('gives up on close after closeTimeoutMs, saying how much was not delivered', async () => {
    const gone = await startIngestServer();
    await gone.close();
    const { sink, warnings } = sinkWith({ url: gone.url, closeTimeoutMs: 150 });
    for (const event of metrics(7)) sink.write(event);
    const started = Date.now();
    await sink.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(warnings.at(-1)).toMatch(/closing with 7 events not delivered to .* \(ECONNREFUSED\)/);
  });

  it('drops a batch the server refuses (4xx) instead of retrying it forever', async () => {
    const server = await startIngestServer({ status: (n) => (n === 0 ? 400 : 200) });
    const { sink, warnings } = sinkWith({ url: server.url, batchSize: 3 });
    const events = metrics(6);
    for (const event of events) sink.write(event);
    await sink.close();
    expect(server.seqs()).toEqual([3, 4, 5]);
    expect(sink.stats()).toMatchObject({ sent: 3, rejected: 3 });
    expect(warnings).toEqual([expect.stringMatching(/refused 3 events with HTTP 400 \(status 400\); they are dropped/)]);
  });

  it('rejects invalid options', () => {
    expect(() => httpSink({ url: 'ftp://x' })).toThrow(ConfigError);
    expect(() => httpSink({ url: 'http://127.0.0.1:1/x', maxQueue: 0 })).toThrow(/maxQueue: expected integer >= 1, got 0/);
  });
});
