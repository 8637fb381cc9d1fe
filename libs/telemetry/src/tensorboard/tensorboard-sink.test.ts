import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeTensorboardEvent, histogramOf, RunRecorder, tensorboardSink } from '@omnitrain/telemetry';
import type { TelemetryEvent } from '@omnitrain/telemetry';
import { memorySink } from '../../test-fixtures/memory-sink.js';
import { sampleDrafts } from '../../test-fixtures/sample-drafts.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';
import { decodeEventFile, EventType } from '../../test-fixtures/tensorboard-proto.js';

async function eventFile(dir: string): Promise<{ name: string; records: ReturnType<typeof decodeEventFile> }> {
  const names = await readdir(dir);
  const name = names.find((n) => n.startsWith('events.out.tfevents.'))!;
  return { name, records: decodeEventFile(await readFile(join(dir, name))) };
}

describe('tensorboardSink', () => {
  it('writes event files that protobufjs decodes record by record, with valid CRCs', async () => {
    const dir = await tempDir();
    const start = 1_700_000_123_456;
    let clock = start;
    const warnings: string[] = [];
    const sink = tensorboardSink({ dir, flushEvery: 3, now: () => start, onWarning: (m) => warnings.push(m) });
    const recorder = new RunRecorder({ runId: 'r', sink, now: () => (clock += 250) });
    const emitted: TelemetryEvent[] = sampleDrafts().map((d) => recorder.emit(d));
    const weights = Float32Array.from({ length: 500 }, () => Math.random() * 2 - 1);
    emitted.push(recorder.emit({ kind: 'histogram', name: 'grads/dense', step: 7, ...histogramOf(weights, 12) }));
    emitted.push(recorder.emit({ kind: 'metric', name: 'loss', value: NaN, step: 8, split: 'train' }));
    emitted.push(recorder.emit({ kind: 'learning-rate', step: 8, value: 0.5, group: 'head' }));
    await sink.close();

    const byKind = (kind: string) => emitted.filter((e) => e.kind === kind);
    // The samples event names media that do not exist: one warning each, its text record still written.
    expect(warnings.map((w) => w.match(/skipped media file (\S+)/)?.[1])).toEqual([join(dir, '..', 'samples/7.png'), join(dir, '..', 'samples/7.wav')]);
    const files = { train: await eventFile(join(dir, 'train')), val: await eventFile(join(dir, 'val')), test: await eventFile(join(dir, 'test')), root: await eventFile(dir) };
    for (const { name, records } of Object.values(files)) {
      expect(name).toBe(`events.out.tfevents.${Math.floor(start / 1000)}.${hostname()}`);
      expect(records[0]!.event).toMatchObject({ wall_time: start / 1000, step: 0, file_version: 'brain.Event:2', what: 'file_version' });
      // The bytes are what protobufjs itself writes for the decoded message: right numbers, types, order.
      for (const { data, reencoded } of records) expect(Buffer.from(reencoded).equals(Buffer.from(data))).toBe(true);
    }
    // Hparams records (run-start, run-end) are checked in tensorboard-sink-media.test.ts.
    const isHparams = ({ event }: { event: Record<string, unknown> }) => (event.summary as { value: Array<{ tag: string }> }).value[0]!.tag.startsWith('_hparams_/');
    expect(files.root.records.slice(1).filter(isHparams)).toHaveLength(3);
    expect(files.test.records.slice(1).map(({ event }) => (event.summary as { value: Array<{ tag: string }> }).value.map((v) => v.tag))).toEqual([['samples/seven/0/prediction']]);
    const scalars = (records: ReturnType<typeof decodeEventFile>) =>
      records.slice(1).filter((r) => !isHparams(r)).map(({ event }) => {
        const values = (event.summary as { value: Array<{ tag: string; simple_value?: number; histo?: unknown }> }).value;
        return { step: event.step, wallTime: event.wall_time, values: values.map(({ tag, simple_value, histo }) => ({ tag, simple_value, histo })) };
      });

    const trainMetrics = byKind('metric').filter((e) => e.kind === 'metric' && e.split === 'train');
    expect(scalars(files.train.records)).toEqual(
      trainMetrics.map((e) => ({ step: (e as { step: number }).step, wallTime: e.time / 1000, values: [{ tag: 'loss', simple_value: Math.fround((e as { value: number }).value), histo: undefined }] })),
    );
    const [valMetric] = byKind('metric').filter((e) => e.kind === 'metric' && e.split === 'val');
    expect(scalars(files.val.records)).toEqual([
      { step: (valMetric as { step: number }).step, wallTime: valMetric!.time / 1000, values: [{ tag: 'accuracy/rank1', simple_value: Math.fround((valMetric as { value: number }).value), histo: undefined }] },
    ]);

    const root = scalars(files.root.records);
    const [lr, stepTime, histogram1, histogram2, lrHead] = [byKind('learning-rate')[0], byKind('step-time')[0], byKind('histogram')[0], byKind('histogram')[1], byKind('learning-rate')[1]] as const;
    expect(root.map((r) => r.values.map((v) => v.tag))).toEqual([
      ['learning_rate'],
      ['step_time/compute_ms/rank0', 'step_time/data_ms/rank0', 'step_time/all_reduce_ms/rank0', 'step_time/optimizer_ms/rank0', 'step_time/total_ms/rank0', 'step_time/samples_per_sec/rank0'],
      ['weights/dense/kernel'],
      ['grads/dense'],
      ['learning_rate/head'],
    ]);
    expect(root[0]!.values[0]!.simple_value).toBe(Math.fround((lr as { value: number }).value));
    const st = stepTime as Extract<TelemetryEvent, { kind: 'step-time' }>;
    expect(root[1]!.values.map((v) => v.simple_value)).toEqual(
      [st.computeMs, st.dataMs, st.allReduceMs, st.optimizerMs, st.totalMs, (st.samples! * 1000) / st.totalMs].map(Math.fround),
    );
    for (const [i, h] of [[2, histogram1], [3, histogram2]] as const) {
      const e = h as Extract<TelemetryEvent, { kind: 'histogram' }>;
      expect(root[i]!.step).toBe(e.step);
      expect(root[i]!.values[0]!.histo).toEqual({ min: e.min, max: e.max, num: e.num, sum: e.sum, sum_squares: e.sumSquares, bucket_limit: e.bucketLimits, bucket: e.buckets });
    }
    expect(root[4]!.step).toBe((lrHead as { step: number }).step);
  });

  it('encodes large and negative steps as int64 varints', () => {
    for (const step of [0, 1, 127, 128, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 40)]) {
      const wallTime = Math.random() * 2e9;
      const decoded = EventType.toObject(EventType.decode(encodeTensorboardEvent({ wallTime, step, values: [] })), { longs: String, defaults: true });
      expect(decoded).toMatchObject({ wall_time: wallTime, step: String(step) });
    }
  });

  it('gives a second writer in the same folder and second its own file', async () => {
    const dir = await tempDir();
    const now = () => 1_700_000_000_000;
    const sinks = [tensorboardSink({ dir, now }), tensorboardSink({ dir, now })];
    const recorder = new RunRecorder({ runId: 'r', sink: memorySink() });
    for (const sink of sinks) sink.write(recorder.emit({ kind: 'learning-rate', step: 1, value: 0.1 }));
    await Promise.all(sinks.map((s) => s.close()));
    const base = `events.out.tfevents.1700000000.${hostname()}`;
    expect((await readdir(dir)).sort()).toEqual([base, `${base}.1`]);
  });
});
