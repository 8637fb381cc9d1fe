// Test helper: a short run with random hparams, metrics and `samples` events whose media files
// (random PNGs and WAVs) lie in the run folder, written through a tensorboard sink.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunRecorder, tensorboardSink } from '@omnitrain/telemetry';
import type { EventDraft, TelemetryEvent } from '@omnitrain/telemetry';
import { randomPng, randomWav } from './media.js';

const int = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

/** What the run wrote, for a reader to check against. */
export interface MediaRun {
  /** The run folder; event files are under `<runDir>/tensorboard`. */
  runDir: string;
  events: TelemetryEvent[];
  /** Per media path (as in the events): the file and what it holds. */
  media: Map<string, { bytes: Buffer } & ({ width: number; height: number; colorspace: number } | { sampleRate: number; channels: number; frames: number })>;
  warnings: string[];
}

/**
 * Writes a run of `epochs` validations with `items` samples each (labels drawn from three
 * classes, every item with an image, an audio clip and a text) through `tensorboardSink`.
 *
 * @example const run = await writeMediaRun(await tempDir(), { epochs: 2, items: 4 });
 */
export async function writeMediaRun(runDir: string, options: { epochs: number; items: number }): Promise<MediaRun> {
  const media: MediaRun['media'] = new Map();
  await mkdir(join(runDir, 'samples'), { recursive: true });
  const classes = ['zero', 'one', 'two'];
  const items: Array<{ id: string; label: string; image: string; audio: string; text: string }> = [];
  for (let i = 0; i < options.items; i++) {
    const [width, height] = [int(1, 40), int(1, 40)];
    const colorType = ([0, 2, 4, 6] as const)[int(0, 3)]!;
    const image = `samples/${String(i).padStart(3, '0')}-image.png`;
    const png = randomPng({ width, height, colorType });
    await writeFile(join(runDir, image), png);
    media.set(image, { bytes: png, width, height, colorspace: { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType] });
    const [sampleRate, channels, frames] = [[8000, 16000, 22050, 44100][int(0, 3)]!, int(1, 2), int(10, 2000)];
    const audio = `samples/${String(i).padStart(3, '0')}-audio.wav`;
    const wav = randomWav({ sampleRate, channels, frames, float: Math.random() < 0.5 });
    await writeFile(join(runDir, audio), wav);
    media.set(audio, { bytes: wav, sampleRate, channels, frames });
    items.push({ id: `digits/${i}`, label: classes[int(0, 2)]!, image, audio, text: `word ${Math.random().toString(36).slice(2, 8)}` });
  }
  const warnings: string[] = [];
  const sink = tensorboardSink({ dir: join(runDir, 'tensorboard'), flushEvery: 5, onWarning: (m) => warnings.push(m) });
  const recorder = new RunRecorder({ runId: 'media-run', sink });
  const events: TelemetryEvent[] = [];
  const emit = (draft: EventDraft): void => void events.push(recorder.emit(draft));
  emit({
    kind: 'run-start',
    name: 'media run',
    config: {},
    hparams: { lr: Math.random() / 100, fusion: ['gated', 'concat'][int(0, 1)]!, augment: Math.random() < 0.5, layers: int(1, 4), dropout: 0, frozen: false },
    backend: { name: 'cpu', tfjsBackend: 'cpu', tfjsVersion: '4.22.0', device: 'CPU', skipped: [] },
    worldSize: 1,
    host: { hostname: 'h', pid: 1, platform: 'linux', arch: 'x64', nodeVersion: 'v20', cpus: 2, memoryBytes: 1 },
  });
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    step += int(1, 50);
    emit({ kind: 'metric', name: 'loss', value: Math.random() * 3, step, epoch, split: 'train' });
    emit({ kind: 'histogram', name: 'weights/dense/kernel', step, min: -1, max: 1, num: 4, sum: 0.5, sumSquares: 1.5, bucketLimits: [0, 1], buckets: [1, 3] });
    for (const name of ['loss', 'accuracy', 'f1_macro']) emit({ kind: 'metric', name, value: Math.random(), step, epoch, split: 'val' });
    emit({ kind: 'metric', name: 'accuracy', value: Math.random(), step, epoch, split: 'val', rank: 1 });
    emit({
      kind: 'samples',
      step,
      epoch,
      split: 'val',
      items: items.map((item) => ({ ...item, predicted: classes[int(0, 2)]!, confidence: Math.random() })),
    });
  }
  emit({ kind: 'run-end', status: 'completed', step, summary: {} });
  await sink.close();
  return { runDir, events, media, warnings };
}
