import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, OmnitrainError } from '@omnitrain/core';
import { jsonlSink, readEvents, RunRecorder, serializeEvent } from '@omnitrain/telemetry';
import { memorySink } from '../../test-fixtures/memory-sink.js';
import { sampleDrafts } from '../../test-fixtures/sample-drafts.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';

describe('jsonlSink and readEvents', () => {
  it('round-trips every kind of event, one line each, in batches', async () => {
    const path = join(await tempDir(), 'run', 'events.jsonl');
    const sink = jsonlSink({ path, flushEvery: 4, flushIntervalMs: 60_000 });
    const recorder = new RunRecorder({ runId: 'r', sink });
    const written = sampleDrafts().map((d) => recorder.emit(d));
    written.push(recorder.emit({ kind: 'metric', name: 'loss', value: NaN, step: 9, split: 'train' }));
    await sink.flush();
    const text = await readFile(path, 'utf8');
    expect(text).toBe(written.map((e) => `${serializeEvent(e)}\n`).join(''));
    await sink.close();
    await sink.close();
    expect(await readEvents(path)).toEqual({ events: written, problems: [] });
    expect(() => sink.write(written[0]!)).toThrow(OmnitrainError);
    expect(() => sink.write(written[0]!)).toThrow(/jsonlSink.write: expected an open sink, got a closed one/);
  });

  it('writes a partial batch within flushIntervalMs, without being asked', async () => {
    const path = join(await tempDir(), 'events.jsonl');
    const sink = jsonlSink({ path, flushEvery: 1000, flushIntervalMs: 20 });
    new RunRecorder({ runId: 'r', sink }).emit({ kind: 'learning-rate', step: 0, value: 0.1 });
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    for (let i = 0; i < 200 && !(await stat(path).catch(() => undefined))?.size; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await readEvents(path)).events).toHaveLength(1);
    await sink.close();
  });

  it('skips a half-written last line, and a resumed writer cuts it off before appending', async () => {
    const path = join(await tempDir(), 'events.jsonl');
    const first = new RunRecorder({ runId: 'r', sink: jsonlSink({ path }) });
    const before = sampleDrafts().slice(0, 3).map((d) => first.emit(d));
    await first.close();
    const crashed = new RunRecorder({ runId: 'r', sink: memorySink(), firstSeq: 3 });
    const torn = serializeEvent(crashed.emit({ kind: 'metric', name: 'loss', value: 1, step: 5, split: 'train' })).slice(0, 40);
    await appendFile(path, torn); // the writer crashed mid-line
    expect(await readEvents(path)).toEqual({ events: before, problems: [], torn: { line: 4, bytes: 40 } });

    const resumed = new RunRecorder({ runId: 'r', sink: jsonlSink({ path }), firstSeq: before.at(-1)!.seq + 1 });
    const after = [resumed.emit({ kind: 'metric', name: 'loss', value: 0.5, step: 6, split: 'train' })];
    await resumed.close();
    const read = await readEvents(path);
    expect(read).toEqual({ events: [...before, ...after], problems: [] });
    expect(read.events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });

  it('reports a corrupt line with file:line and reads on', async () => {
    const path = join(await tempDir(), 'events.jsonl');
    const recorder = new RunRecorder({ runId: 'r', sink: jsonlSink({ path }) });
    const [a, b, c] = sampleDrafts().slice(1, 4).map((d) => recorder.emit(d));
    await recorder.close();
    const badEvent = { ...JSON.parse(serializeEvent(b!)), split: 'valid' };
    const lines = [serializeEvent(a!), '{"v":1,"seq":', '', JSON.stringify(badEvent), serializeEvent(c!), '{"kind":"metrc"}'];
    await writeFile(path, `${lines.join('\n')}\n`);
    const { events, problems, torn } = await readEvents(path);
    expect(events).toEqual([a, c]);
    expect(torn).toBeUndefined();
    expect(problems.map((p) => [p.file, p.line])).toEqual([[path, 2], [path, 4], [path, 6]]);
    expect(problems[0]!.message).toMatch(new RegExp(`^${path}:2: not valid JSON \\(`));
    expect(problems[1]!.message).toBe(`${path}:4: not a valid event: split: expected one of "train", "val", "test", got "valid"`);
    expect(problems[2]!.message).toMatch(new RegExp(`^${path}:6: not a valid event: Unknown event kind "metrc".*Did you mean "metric"\\?`));
  });

  it('says which file is missing, and reports write failures at flush and close', async () => {
    const dir = await tempDir();
    await expect(readEvents(join(dir, 'nope.jsonl'))).rejects.toThrow(DataError);
    await expect(readEvents(join(dir, 'nope.jsonl'))).rejects.toThrow(/readEvents: expected a readable event log, got ENOENT .*nope\.jsonl.*Hint: has the run started/);
    await writeFile(join(dir, 'file'), 'not a directory');
    const sink = jsonlSink({ path: join(dir, 'file', 'events.jsonl') });
    new RunRecorder({ runId: 'r', sink }).emit({ kind: 'learning-rate', step: 0, value: 0.1 });
    await expect(sink.flush()).rejects.toThrow(/jsonlSink\.write: expected to append telemetry to the file, got (ENOTDIR|EEXIST)/);
    await expect(sink.close()).rejects.toThrow(OmnitrainError);
  });

  it('rejects invalid options', () => {
    expect(() => jsonlSink({ path: 'x.jsonl', flushEvery: 0 })).toThrow(/flushEvery: expected integer >= 1, got 0/);
  });
});
