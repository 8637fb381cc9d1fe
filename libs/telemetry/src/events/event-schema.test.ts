import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import type { BackendInfo } from '@omnitrain/core';
import { histogramOf, hostInfo, parseEvent, RunRecorder, serializeEvent, telemetryEventSchema } from '@omnitrain/telemetry';
import type { EventDraft } from '@omnitrain/telemetry';
import { memorySink } from '../../test-fixtures/memory-sink.js';
import { sampleDrafts } from '../../test-fixtures/sample-drafts.js';

function recorder(sink = memorySink(), firstSeq?: number) {
  let clock = 1_700_000_000_000;
  return { sink, recorder: new RunRecorder({ runId: 'run-1', sink, firstSeq, now: () => (clock += 5) }) };
}

function issues(draft: EventDraft): string[] {
  try {
    recorder().recorder.emit(draft);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the draft to be rejected');
}

describe('the event contract', () => {
  it('stamps every kind with version, gapless seq, run id and time, and fills defaults', () => {
    const { sink, recorder: r } = recorder();
    const drafts = sampleDrafts();
    const written = drafts.map((d) => r.emit(d));
    expect(sink.events).toEqual(written);
    expect(written.map((e) => e.seq)).toEqual(drafts.map((_, i) => i));
    expect(written.map((e) => e.time)).toEqual(drafts.map((_, i) => 1_700_000_000_005 + 5 * i));
    expect(new Set(written.map((e) => e.kind)).size).toBe(telemetryEventSchema.options.length);
    for (const [i, event] of written.entries()) expect(event).toMatchObject({ v: 1, runId: 'run-1', ...drafts[i] });
    const minimal = r.emit({ kind: 'checkpoint', step: 3, path: 'c.safetensors', time: 42 });
    expect(minimal).toEqual({ v: 1, seq: drafts.length, runId: 'run-1', time: 42, kind: 'checkpoint', step: 3, path: 'c.safetensors', best: false });
    expect(r.nextSeq).toBe(drafts.length + 1);
    expect(new RunRecorder({ runId: 'x', sink, firstSeq: 17 }).emit({ kind: 'learning-rate', step: 0, value: 1 }).seq).toBe(17);
  });

  it('takes the backend and host as core and hostInfo() report them', () => {
    const backend: BackendInfo = { name: 'cpu', tfjsBackend: 'cpu', tfjsVersion: '4.22.0', device: 'CPU (pure JS)', skipped: [{ name: 'wasm', reason: 'not installed' }] };
    const [start] = sampleDrafts();
    const event = recorder().recorder.emit({ ...(start as Extract<EventDraft, { kind: 'run-start' }>), backend, host: hostInfo(), git: undefined });
    expect(event).toMatchObject({ backend, host: { pid: process.pid, nodeVersion: process.version } });
  });

  it('keeps NaN and infinities through JSON', () => {
    const { recorder: r } = recorder();
    const values = [NaN, Infinity, -Infinity, Math.random()];
    for (const value of values) {
      const line = serializeEvent(r.emit({ kind: 'metric', name: 'loss', value, step: 1, split: 'train' }));
      expect(JSON.parse(line)).toMatchObject({ value: Number.isFinite(value) ? value : String(value) });
      expect(parseEvent(JSON.parse(line))).toMatchObject({ value });
    }
  });

  it('names every field that breaks the contract', () => {
    expect(issues({ kind: 'metric', name: 'loss', value: 1, step: -1, split: 'valid' as 'val', epoch: 1.5 })).toEqual([
      'step: expected integer >= 0, got -1',
      'epoch: expected integer >= 0, got 1.5',
      'split: expected one of "train", "val", "test", got "valid"',
    ]);
    expect(issues({ kind: 'confusion-matrix', step: 1, split: 'val', labels: ['a', 'b'], matrix: [[1, 2]] })).toEqual([
      'matrix: expected a square matrix with one row and one column per label, got [[1,2]]',
    ]);
    expect(issues({ kind: 'run-end', status: 'failed' })).toEqual(['error: expected an error message when status is failed, got nothing (required field is missing)']);
    expect(issues({ kind: 'learning-rate', step: 1, value: 0.1, grup: 'head' } as EventDraft)).toEqual(['grup: unknown key; did you mean "group"?']);
    expect(() => recorder().recorder.emit({ kind: 'learning-rate', step: 1, value: 0.1, grup: 'x' } as EventDraft)).toThrow(/event learning-rate #0/);
  });

  it('rejects events of a newer contract with a hint to upgrade', () => {
    const event = JSON.parse(serializeEvent(recorder().recorder.emit({ kind: 'learning-rate', step: 1, value: 0.1 })));
    expect(() => parseEvent({ ...event, v: 2 }, 'events.jsonl:4')).toThrow(DataError);
    expect(() => parseEvent({ ...event, v: 2 }, 'events.jsonl:4')).toThrow(/version 1, got version 2 \(events.jsonl:4\)\. Hint: .*upgrade/);
    expect(() => parseEvent({ ...event, kind: 'metrc' })).toThrow(ConfigError);
    expect(() => parseEvent({ ...event, kind: 'metrc' })).toThrow(/Unknown event kind "metrc"\. Available: .*Did you mean "metric"\?/);
    expect(() => parseEvent([1, 2], 'events.jsonl:9')).toThrow(/string "kind" .*got \[1,2\] \(events.jsonl:9\)/);
  });

  it('is documented in EVENTS.md, kind by kind', () => {
    const doc = readFileSync(new URL('../../EVENTS.md', import.meta.url), 'utf8');
    for (const option of telemetryEventSchema.options) {
      const kind = option.shape.kind.value;
      expect(doc, kind).toContain(`\`${kind}\``);
    }
  });
});

describe('histogramOf', () => {
  it('matches the closed forms on random values', () => {
    const values = Float32Array.from({ length: 1000 }, () => Math.random() * 6 - 3);
    const h = histogramOf(values, 20);
    const list = [...values];
    expect(h.min).toBe(Math.min(...list));
    expect(h.max).toBe(Math.max(...list));
    expect(h.num).toBe(1000);
    expect(h.sum).toBeCloseTo(list.reduce((a, b) => a + b, 0), 9);
    expect(h.sumSquares).toBeCloseTo(list.reduce((a, v) => a + v * v, 0), 9);
    expect(h.buckets.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.bucketLimits.at(-1)).toBe(h.max);
    for (let k = 0; k < 20; k++) {
      const low = k === 0 ? -Infinity : h.bucketLimits[k - 1]!;
      const expected = list.filter((v) => (v > low || (k === 0 && v >= low)) && v <= h.bucketLimits[k]!).length;
      expect(Math.abs(h.buckets[k]! - expected), `bucket ${k}`).toBeLessThanOrEqual(1); // edges may fall either side
    }
  });

  it('handles constant, empty and non-finite inputs', () => {
    const c = Math.random();
    expect(histogramOf([c, c, c, NaN])).toEqual({ min: c, max: c, num: 3, sum: c + c + c, sumSquares: c * c + c * c + c * c, bucketLimits: [c], buckets: [3] });
    expect(histogramOf([]).num).toBe(0);
  });
});
