// The shared conformance suite: every Sink implementation, and sinks built from configs.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, OmnitrainError } from '@omnitrain/core';
import { createSink, httpSink, jsonlSink, multiSink, readEvents, RunRecorder, sinkTypes, tensorboardSink } from '@omnitrain/telemetry';
import type { Sink, TelemetryEvent } from '@omnitrain/telemetry';
import { startIngestServer } from '../../test-fixtures/ingest-server.js';
import { memorySink } from '../../test-fixtures/memory-sink.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';
import { decodeEventFile } from '../../test-fixtures/tensorboard-proto.js';

/** A sink under test and how to read back the steps of the metric events it delivered, in order. */
interface Subject {
  sink: Sink;
  delivered(): Promise<number[]>;
}

async function tensorboardSteps(dir: string): Promise<number[]> {
  const name = (await readdir(join(dir, 'train'))).find((n) => n.startsWith('events.out.tfevents.'))!;
  return decodeEventFile(await readFile(join(dir, 'train', name))).slice(1).map((r) => r.event.step as number);
}

const subjects: Record<string, () => Promise<Subject>> = {
  jsonl: async () => {
    const path = join(await tempDir(), 'events.jsonl');
    return { sink: jsonlSink({ path, flushEvery: 7 }), delivered: async () => (await readEvents(path)).events.map((e) => (e as { step: number }).step) };
  },
  tensorboard: async () => {
    const dir = await tempDir();
    return { sink: tensorboardSink({ dir, flushEvery: 7 }), delivered: () => tensorboardSteps(dir) };
  },
  http: async () => {
    const server = await startIngestServer();
    return { sink: httpSink({ url: server.url, batchSize: 7 }), delivered: async () => server.requests.flatMap((r) => r.events.map((e) => e.step as number)) };
  },
  multi: async () => {
    const [a, b] = [await subjects.jsonl!(), await subjects.http!()];
    return {
      sink: multiSink([a.sink, b.sink]),
      delivered: async () => {
        const [x, y] = [await a.delivered(), await b.delivered()];
        expect(y).toEqual(x);
        return x;
      },
    };
  },
};

describe.each(Object.keys(subjects))('Sink conformance: %s', (name) => {
  const metrics = (count: number): TelemetryEvent[] => {
    const recorder = new RunRecorder({ runId: 'r', sink: memorySink() });
    const start = Math.floor(Math.random() * 1000);
    return Array.from({ length: count }, (_, i) => recorder.emit({ kind: 'metric', name: 'loss', value: Math.random(), step: start + i, split: 'train' }));
  };

  it('delivers in order on flush, closes idempotently, refuses writes after close', async () => {
    const { sink, delivered } = await subjects[name]!();
    const events = metrics(30);
    for (const event of events.slice(0, 20)) sink.write(event);
    await sink.flush();
    expect(await delivered()).toEqual(events.slice(0, 20).map((e) => (e as { step: number }).step));
    for (const event of events.slice(20)) sink.write(event);
    await sink.close();
    await sink.close();
    expect(await delivered()).toEqual(events.map((e) => (e as { step: number }).step));
    expect(() => sink.write(events[0]!)).toThrow(OmnitrainError);
  });
});

describe('createSink', () => {
  it('builds each registered sink from its config, with defaults under the run directory', async () => {
    const runDir = await tempDir();
    const server = await startIngestServer();
    expect(sinkTypes.list()).toEqual(['http', 'jsonl', 'tensorboard']);
    const sink = multiSink([
      createSink({ type: 'jsonl' }, { runDir, runId: 'r' }),
      createSink({ type: 'tensorboard', flushEvery: 2 }, { runDir, runId: 'r' }),
      createSink({ type: 'http', url: server.url }, { runDir, runId: 'r' }),
    ]);
    const recorder = new RunRecorder({ runId: 'r', sink });
    const event = recorder.emit({ kind: 'metric', name: 'loss', value: Math.random(), step: 3, split: 'train' });
    await recorder.close();
    expect((await readEvents(join(runDir, 'events.jsonl'))).events).toEqual([event]);
    expect(await tensorboardSteps(join(runDir, 'tensorboard'))).toEqual([3]);
    expect(server.seqs()).toEqual([0]);
  });

  it('names the registered types on a typo, and the field at fault', () => {
    const context = { runDir: '/tmp/x', runId: 'r' };
    expect(() => createSink({ type: 'jsnol' }, context)).toThrow('Unknown sink "jsnol". Available: http, jsonl, tensorboard. Did you mean "jsonl"?');
    expect(() => createSink({ type: 'jsonl', flushEvry: 3 }, context)).toThrow(ConfigError);
    expect(() => createSink({ type: 'jsonl', flushEvry: 3 }, context)).toThrow(/sink jsonl flushEvry: unknown key; did you mean "flushEvery"\?/);
    expect(() => createSink({ type: 'http' }, context)).toThrow(/url: expected .*, got nothing/);
    expect(() => createSink({ type: 3 } as never, context)).toThrow(/createSink: expected a sink config with a string "type"/);
  });
});

describe('multiSink', () => {
  it('gives every sink every call even when one fails, then reports the failure', async () => {
    const good = memorySink();
    const failure = new Error('disk on fire');
    const bad: Sink = { write: () => { throw failure; }, flush: () => Promise.reject(failure), close: async () => {} };
    const sink = multiSink([bad, good]);
    const event = new RunRecorder({ runId: 'r', sink: memorySink() }).emit({ kind: 'learning-rate', step: 0, value: 0.1 });
    expect(() => sink.write(event)).toThrow(failure);
    expect(good.events).toEqual([event]);
    await expect(sink.flush()).rejects.toBe(failure);
    await expect(multiSink([bad, bad]).flush()).rejects.toThrow(AggregateError);
    await sink.close();
  });
});
