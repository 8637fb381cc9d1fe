import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRecorder, tensorboardSink } from '@omnitrain/telemetry';
import type { SamplePredictionsEvent, TelemetryEvent } from '@omnitrain/telemetry';
import { randomPng, randomWav } from '../../test-fixtures/media.js';
import { writeMediaRun } from '../../test-fixtures/media-run.js';
import type { MediaRun } from '../../test-fixtures/media-run.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';
import { decodeEventFile, HparamsPluginDataType } from '../../test-fixtures/tensorboard-proto.js';

type Value = {
  tag: string;
  value: string;
  metadata?: { plugin_data?: { plugin_name: string; content: Uint8Array }; summary_description?: string };
  image?: { height: number; width: number; colorspace: number; encoded_image_string: Uint8Array };
  audio?: { sample_rate: number; num_channels: number; length_frames: number; encoded_audio_string: Uint8Array; content_type: string };
  tensor?: { dtype: number; tensor_shape: { dim: Array<{ size: number }> }; string_val: Uint8Array[] };
  simple_value?: number;
};
type Record = { step: number; wall_time: number; values: Value[] };

/** Every record of the one event file in `dir` (CRCs checked), with its summary values. */
async function readFolder(dir: string): Promise<Record[]> {
  const name = (await readdir(dir)).find((n) => n.startsWith('events.out.tfevents.'))!;
  const records = decodeEventFile(await readFile(join(dir, name)));
  for (const { data, reencoded } of records) expect(Buffer.from(reencoded).equals(Buffer.from(data))).toBe(true);
  expect(records[0]!.event.file_version).toBe('brain.Event:2');
  return records.slice(1).map(({ event }) => ({ step: event.step as number, wall_time: event.wall_time as number, values: (event.summary as { value: Value[] }).value }));
}

const hparamsOf = (value: Value) => {
  expect(value.metadata!.plugin_data!.plugin_name).toBe('hparams');
  expect(value.tensor).toMatchObject({ dtype: 1, tensor_shape: { dim: [{ size: 0 }] }, string_val: [] });
  return HparamsPluginDataType.toObject(HparamsPluginDataType.decode(value.metadata!.plugin_data!.content), { enums: String, oneofs: true, defaults: true });
};

const caption = (item: SamplePredictionsEvent['items'][number]) =>
  `label ${item.label}, predicted ${item.predicted} (${item.confidence!.toFixed(2)})\n\nsample \`${item.id}\`\n\n> ${item.text}`;

function checkRun(run: MediaRun, root: Record[], val: Record[]): void {
  const [start] = run.events.filter((e) => e.kind === 'run-start') as Array<Extract<TelemetryEvent, { kind: 'run-start' }>>;
  const end = run.events.at(-1) as Extract<TelemetryEvent, { kind: 'run-end' }>;
  // Root folder = the hparams session: start, histograms, then experiment and end at run-end.
  const hparamsRecords = root.filter((r) => r.values[0]!.tag.startsWith('_hparams_/'));
  expect(hparamsRecords.map((r) => r.values.map((v) => v.tag))).toEqual([['_hparams_/session_start_info'], ['_hparams_/experiment'], ['_hparams_/session_end_info']]);
  const [startInfo, experiment, endInfo] = hparamsRecords.map((r) => hparamsOf(r.values[0]!));
  expect(startInfo!.version).toBe(0);
  const hparams = startInfo!.session_start_info.hparams as { [k: string]: { kind: string; [k: string]: unknown } };
  expect(Object.fromEntries(Object.entries(hparams).map(([k, v]) => [k, v[v.kind]]))).toEqual(start!.hparams);
  expect(startInfo!.session_start_info.start_time_secs).toBe(start!.time / 1000);
  expect(hparamsRecords[0]!.wall_time).toBe(start!.time / 1000);
  const typeName = { number: 'DATA_TYPE_FLOAT64', string: 'DATA_TYPE_STRING', boolean: 'DATA_TYPE_BOOL' } as const;
  expect(experiment!.experiment.hparam_infos.map((h: { name: string; type: string }) => [h.name, h.type])).toEqual(
    Object.entries(start!.hparams).map(([k, v]) => [k, typeName[typeof v as keyof typeof typeName]]),
  );
  const valNames = [...new Set(run.events.filter((e) => e.kind === 'metric' && e.split === 'val' && e.rank === undefined).map((e) => (e as { name: string }).name))];
  expect(experiment!.experiment.metric_infos).toEqual(
    valNames.map((tag) => ({ name: { group: 'val', tag }, display_name: `val/${tag}`, description: '', dataset_type: 'DATASET_VALIDATION' })),
  );
  expect(endInfo!.session_end_info).toEqual({ status: 'STATUS_SUCCESS', end_time_secs: end.time / 1000 });
  expect(hparamsRecords[2]!.step).toBe(end.step);

  // Val folder: each metric, then per samples event one record with every item's image, audio, text.
  const samples = run.events.filter((e) => e.kind === 'samples') as SamplePredictionsEvent[];
  const sampleRecords = val.filter((r) => r.values.some((v) => v.tag.startsWith('samples/')));
  expect(sampleRecords.map((r) => [r.step, r.wall_time])).toEqual(samples.map((e) => [e.step, e.time / 1000]));
  for (const [n, event] of samples.entries()) {
    const values = sampleRecords[n]!.values;
    const counts = new Map<string, number>();
    const expectedTags = event.items.flatMap((item) => {
      const k = counts.get(item.label!) ?? 0;
      counts.set(item.label!, k + 1);
      return ['image', 'audio', 'prediction'].map((part) => `samples/${item.label}/${k}/${part}`);
    });
    expect(values.map((v) => v.tag)).toEqual(expectedTags);
    for (const [i, item] of event.items.entries()) {
      const [image, audio, text] = values.slice(3 * i, 3 * i + 3) as [Value, Value, Value];
      const png = run.media.get(item.image!) as { bytes: Buffer; width: number; height: number; colorspace: number };
      expect(image.value).toBe('image');
      expect({ ...image.image!, encoded_image_string: undefined }).toEqual({ height: png.height, width: png.width, colorspace: png.colorspace, encoded_image_string: undefined });
      expect(Buffer.from(image.image!.encoded_image_string).equals(png.bytes)).toBe(true);
      expect(image.metadata).toBeNull();
      const wav = run.media.get(item.audio!) as { bytes: Buffer; sampleRate: number; channels: number; frames: number };
      expect(audio.value).toBe('audio');
      expect({ ...audio.audio!, encoded_audio_string: undefined }).toEqual({
        sample_rate: wav.sampleRate,
        num_channels: wav.channels,
        length_frames: wav.frames,
        content_type: 'audio/wav',
        encoded_audio_string: undefined,
      });
      expect(Buffer.from(audio.audio!.encoded_audio_string).equals(wav.bytes)).toBe(true);
      expect(text.value).toBe('tensor');
      expect(text.metadata!.plugin_data).toMatchObject({ plugin_name: 'text' });
      expect(text.tensor!.dtype).toBe(7);
      expect(text.tensor!.tensor_shape.dim).toEqual([]);
      expect(text.tensor!.string_val.map((b) => Buffer.from(b).toString('utf8'))).toEqual([caption(item)]);
    }
  }
}

describe('tensorboardSink media and hparams', () => {
  it('writes images, audio, texts and hparams that an independent reader decodes, every CRC valid', async () => {
    const run = await writeMediaRun(await tempDir(), { epochs: 2, items: 5 });
    expect(run.warnings).toEqual([]);
    const tb = join(run.runDir, 'tensorboard');
    expect((await readdir(tb)).sort()).toEqual([expect.stringMatching(/^events\.out\.tfevents\./), 'train', 'val']);
    const val = await readFolder(join(tb, 'val'));
    checkRun(run, await readFolder(tb), val);
    // Scalars still arrive next to the media, in write order.
    const valMetrics = run.events.filter((e) => e.kind === 'metric' && e.split === 'val');
    const scalarRecords = val.filter((r) => r.values[0]!.value === 'simple_value');
    expect(scalarRecords.map((r) => [r.step, r.values[0]!.tag])).toEqual(valMetrics.map((e) => [(e as { step: number }).step, (e as { name: string }).name + ((e as { rank?: number }).rank === undefined ? '' : '/rank1')]));
  });

  it('skips a missing, oversized, URL or non-media file with one warning naming it, and loses no other record', async () => {
    const runDir = await tempDir();
    const good = randomPng({ width: 3, height: 2, colorType: 2 });
    await writeFile(join(runDir, 'good.png'), good);
    await writeFile(join(runDir, 'big.wav'), randomWav({ sampleRate: 8000, channels: 1, frames: 3000 }));
    await writeFile(join(runDir, 'notes.png'), 'not an image');
    await mkdir(join(runDir, 'folder.wav'));
    const warnings: string[] = [];
    const sink = tensorboardSink({ dir: join(runDir, 'tensorboard'), maxMediaBytes: 4096, onWarning: (m) => warnings.push(m) });
    const recorder = new RunRecorder({ runId: 'r', sink });
    const items = [
      { id: 'a', label: 'x', predicted: 'y', confidence: 0.25, image: 'missing.png', audio: 'big.wav' },
      { id: 'b', label: 'x', predicted: 'x', image: 'notes.png', audio: 'https://example.com/a.wav', text: 'hi' },
      { id: 'c', predicted: 'x', image: 'good.png', audio: 'folder.wav' },
    ];
    for (const step of [3, 9]) {
      recorder.emit({ kind: 'samples', step, split: 'val', items });
      recorder.emit({ kind: 'metric', name: 'loss', value: step / 10, step, split: 'val' });
    }
    await sink.close();
    expect(warnings).toHaveLength(5);
    for (const [file, why] of [['missing.png', 'ENOENT'], ['big.wav', 'over maxMediaBytes 4096'], ['notes.png', 'not a PNG or JPEG'], ['https:', 'a URL'], ['folder.wav', 'not a regular file']]) {
      expect(warnings.filter((w) => w.includes(file) && w.includes(why))).toHaveLength(1);
    }
    const val = await readFolder(join(runDir, 'tensorboard', 'val'));
    expect(val.map((r) => [r.step, r.values.map((v) => v.tag)])).toEqual(
      [3, 9].flatMap((step) => [
        [step, ['samples/x/0/prediction', 'samples/x/1/prediction', 'samples/unlabeled/0/image', 'samples/unlabeled/0/prediction']],
        [step, ['loss']],
      ]),
    );
    const texts = val[0]!.values.filter((v) => v.tensor).map((v) => Buffer.from(v.tensor!.string_val[0]!).toString());
    expect(texts).toEqual(['label x, predicted y (0.25)\n\nsample `a`', 'label x, predicted x\n\nsample `b`\n\n> hi', 'predicted x\n\nsample `c`']);
    expect(Buffer.from(val[0]!.values[2]!.image!.encoded_image_string).equals(good)).toBe(true);
    expect(val[1]!.values[0]!.simple_value).toBe(Math.fround(0.3));
  });

  it('the committed docs/sample-run holds scalars, histograms, images, audio, texts and hparams, every CRC valid', async () => {
    const tb = join(import.meta.dirname, '../../../../docs/sample-run/tensorboard');
    const [root, train, val] = await Promise.all([readFolder(tb), readFolder(join(tb, 'train')), readFolder(join(tb, 'val'))]);
    const kinds = (records: Record[]) => new Set(records.flatMap((r) => r.values.map((v) => (v.value === 'tensor' ? v.metadata!.plugin_data!.plugin_name : v.value))));
    expect(kinds(root)).toEqual(new Set(['simple_value', 'histo', 'hparams']));
    expect(kinds(train)).toEqual(new Set(['simple_value']));
    expect(kinds(val)).toEqual(new Set(['simple_value', 'image', 'audio', 'text']));
    const hparams = root.flatMap((r) => r.values).filter((v) => v.tag.startsWith('_hparams_/'));
    expect(hparams.map((v) => v.tag)).toEqual(['_hparams_/session_start_info', '_hparams_/experiment', '_hparams_/session_end_info']);
    expect(hparamsOf(hparams[2]!).session_end_info.status).toBe('STATUS_SUCCESS');
  });

  const python = process.env.OMNITRAIN_TENSORBOARD_PYTHON ?? 'python3';
  const hasTensorboard = spawnSync(python, ['-c', 'import tensorboard'], { stdio: 'ignore' }).status === 0;
  const crossCheck = "TensorBoard's own Python reader (EventAccumulator, hparams metadata, Pillow) agrees";
  const why = `${crossCheck} (skipped: ${python} has no "tensorboard" module; set OMNITRAIN_TENSORBOARD_PYTHON to a Python that has)`;
  it.skipIf(!hasTensorboard)(hasTensorboard ? crossCheck : why, async () => {
    const run = await writeMediaRun(await tempDir(), { epochs: 2, items: 3 });
    const script = join(import.meta.dirname, '../../test-fixtures/read-with-tensorboard.py');
    const report = JSON.parse(execFileSync(python, [script, join(run.runDir, 'tensorboard')], { encoding: 'utf8', timeout: 60_000 })) as {
      runs: { [run: string]: { images: { [tag: string]: Array<[number, number, number]> }; audio: { [tag: string]: Array<[number, number, string]> }; texts: { [tag: string]: string[] } } };
      sessionStart: { [name: string]: unknown };
      experimentMetrics: string[];
      status: string;
    };
    const samples = run.events.filter((e) => e.kind === 'samples') as SamplePredictionsEvent[];
    const val = report.runs['val']!;
    for (const [i, item] of samples[0]!.items.entries()) {
      const k = samples[0]!.items.slice(0, i).filter((o) => o.label === item.label).length;
      const png = run.media.get(item.image!) as { width: number; height: number };
      const wav = run.media.get(item.audio!) as { sampleRate: number; frames: number };
      expect(val.images[`samples/${item.label}/${k}/image`]).toEqual(samples.map((e) => [e.step, png.width, png.height]));
      expect(val.audio[`samples/${item.label}/${k}/audio`]).toEqual(samples.map((e) => [e.step, wav.sampleRate, 'audio/wav']));
      expect(val.texts[`samples/${item.label}/${k}/prediction`]).toEqual(samples.map((e) => caption(e.items[i]!)));
    }
    const start = run.events[0] as Extract<TelemetryEvent, { kind: 'run-start' }>;
    expect(report.sessionStart).toEqual(start.hparams);
    expect(report.experimentMetrics).toEqual(['val/loss', 'val/accuracy', 'val/f1_macro']);
    expect(report.status).toBe('STATUS_SUCCESS');
  });
});
