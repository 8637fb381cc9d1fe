import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followEvents, RunRecorder, serializeEvent } from '@omnitrain/telemetry';
import type { EventLogProblem, TelemetryEvent } from '@omnitrain/telemetry';
import { memorySink } from '../../test-fixtures/memory-sink.js';
import { sampleDrafts } from '../../test-fixtures/sample-drafts.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';

/** A run's events: every sample kind, some metrics, and run-end last. */
function runEvents(metrics = 6): TelemetryEvent[] {
  const recorder = new RunRecorder({ runId: 'r', sink: memorySink() });
  const drafts = sampleDrafts();
  const events = drafts.slice(0, -1).map((d) => recorder.emit(d));
  for (let step = 0; step < metrics; step++) events.push(recorder.emit({ kind: 'metric', name: 'loss', value: Math.random(), step, split: 'train' }));
  events.push(recorder.emit(drafts.at(-1)!));
  return events;
}

const lines = (events: TelemetryEvent[]) => events.map((e) => `${serializeEvent(e)}\n`);

/** Another process appends `chunks` to `path`, one every `delayMs`. */
async function appendFromChildProcess(path: string, chunks: string[], delayMs: number): Promise<void> {
  const script = `const fs = require('node:fs');
const [path, chunks, delay] = [process.argv[1], JSON.parse(process.argv[2]), Number(process.argv[3])];
let i = 0;
const next = () => { if (i < chunks.length) { fs.appendFileSync(path, chunks[i++]); setTimeout(next, delay); } };
next();`;
  const child = spawn(process.execPath, ['-e', script, path, JSON.stringify(chunks), String(delayMs)], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
}

describe('followEvents', () => {
  it('follows a log that another process is writing, from before the file exists to run-end', async () => {
    const path = join(await tempDir(), 'events.jsonl');
    const events = runEvents();
    const text = lines(events);
    const half = Math.floor(text[3]!.length / 2);
    const corrupt = 'this is not JSON\n';
    const chunks = [...text.slice(0, 3), text[3]!.slice(0, half), text[3]!.slice(half), corrupt, ...text.slice(4)];
    const problems: EventLogProblem[] = [];
    const seen: Array<{ event: TelemetryEvent; at: number }> = [];
    const following = (async () => {
      for await (const event of followEvents(path, 0, { pollIntervalMs: 5, onProblem: (p) => problems.push(p) })) seen.push({ event, at: Date.now() });
    })();
    await appendFromChildProcess(path, chunks, 15);
    const writerDone = Date.now();
    await following;
    expect(seen.map((s) => s.event)).toEqual(events);
    expect(seen[0]!.at).toBeLessThan(writerDone - 50); // live: long before the writer was done
    expect(problems).toEqual([{ file: path, line: 5, message: expect.stringMatching(new RegExp(`^${path}:5: not valid JSON`)) }]);
  });

  it('starts at fromSeq, for a client resuming after Last-Event-ID', async () => {
    const path = join(await tempDir(), 'events.jsonl');
    const events = runEvents();
    await writeFile(path, lines(events).join(''));
    const seen: TelemetryEvent[] = [];
    for await (const event of followEvents(path, 5, { pollIntervalMs: 5 })) seen.push(event);
    expect(seen).toEqual(events.slice(5));
  });

  it('stops when aborted, and on break', async () => {
    const path = join(await tempDir(), 'events.jsonl');
    const events = runEvents().slice(0, -1); // no run-end: the run is still going
    await writeFile(path, lines(events).join(''));
    const controller = new AbortController();
    const seen: TelemetryEvent[] = [];
    for await (const event of followEvents(path, 0, { pollIntervalMs: 5, signal: controller.signal })) {
      seen.push(event);
      if (seen.length === events.length) setTimeout(() => controller.abort(), 20);
    }
    expect(seen).toEqual(events);
    for await (const event of followEvents(path, 0, { pollIntervalMs: 5 })) {
      expect(event.seq).toBe(0);
      break;
    }
  });

  it('reads a replaced log again from the start without repeating events', async () => {
    const dir = await tempDir();
    const path = join(dir, 'events.jsonl');
    const events = runEvents();
    await writeFile(path, lines(events.slice(0, 2)).join(''));
    const problems: EventLogProblem[] = [];
    const seen: TelemetryEvent[] = [];
    for await (const event of followEvents(path, 0, { pollIntervalMs: 5, onProblem: (p) => problems.push(p) })) {
      seen.push(event);
      if (seen.length === 2) {
        await writeFile(join(dir, 'new.jsonl'), lines(events).join(''));
        await rename(join(dir, 'new.jsonl'), path);
      }
    }
    expect(seen).toEqual(events);
    expect(problems.map((p) => p.message)).toEqual([`${path}: the log was replaced or truncated; reading it again from the start`]);
  });
});
