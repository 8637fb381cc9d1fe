import { mkdir, open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigObject } from '@omnitrain/core';
import { z } from 'zod';
import type { SamplePredictionsEvent, TelemetryEvent } from '../events/event-schema.js';
import { BatchedFile, batchingConfigFields } from '../sinks/batched-file.js';
import { closedSinkError } from '../sinks/closed-sink-error.js';
import type { Sink } from '../sinks/sink.js';
import { encodeTensorboardEvent } from './encode-tensorboard-event.js';
import { frameRecord } from './frame-record.js';
import { HparamsExperiment } from './hparams-experiment.js';
import { sampleSummaries } from './sample-summaries.js';
import { tensorboardValues } from './tensorboard-values.js';
import type { TensorboardEntry } from './tensorboard-values.js';

/** Config of the `tensorboard` sink. */
export const tensorboardSinkConfigSchema = z.strictObject({
  dir: z.string().min(1).optional().describe('Folder for the event files (`tensorboard --logdir` it). Default <runDir>/tensorboard.'),
  mediaRoot: z
    .string()
    .min(1)
    .optional()
    .describe('Folder the media paths of `samples` events are relative to (the run folder). Default: the parent of dir.'),
  maxMediaBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 2 ** 20)
    .describe('Largest image or audio file copied into the event file; larger ones are skipped with a warning. Default 4 MiB.'),
  ...batchingConfigFields,
});

/** Options of {@link tensorboardSink}: the config, with the folder required. */
export type TensorboardSinkOptions = Omit<z.input<typeof tensorboardSinkConfigSchema>, 'dir'> & {
  dir: string;
  /** Clock for file names and the file-version record, in ms. Default Date.now. */
  now?: () => number;
  /** Told, once per file, about a media file that is skipped. Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
};

/**
 * A sink writing TensorBoard event files (`events.out.tfevents.<seconds>.<host>`: TFRecords of
 * `Event` protobufs, the first holding file_version "brain.Event:2"), one per folder that
 * {@link tensorboardValues} picks: `<dir>/train`, `<dir>/val`, `<dir>/test` and `<dir>` itself.
 * Scalars, histograms, hparams session start / end, and (from `samples` events, see
 * `sampleSummaries`) images, audio and texts; at `run-end` also the hparams experiment (the
 * run-start hparams, and the run's val metrics as the metrics). Media files are read in the
 * background (`write` does no I/O); one that is missing, unreadable, too large or of an unknown
 * format is skipped with one warning naming it. Events TensorBoard has no chart for are ignored.
 *
 * @param options `dir`; `mediaRoot` (default the parent of `dir`), `maxMediaBytes` (default 4 MiB),
 *   `flushEvery` (default 64 events), `flushIntervalMs` (default 1000), `onWarning`.
 * @throws ConfigError for invalid options. Write failures are thrown by `flush` and `close`.
 *
 * @example
 * const sink = tensorboardSink({ dir: join(runDir, 'tensorboard') }); // then: tensorboard --logdir runs/
 */
export function tensorboardSink(options: TensorboardSinkOptions): Sink {
  const { now = Date.now, onWarning = (message: string) => process.emitWarning(message, 'TelemetryWarning'), ...fields } = options;
  const config = loadConfigObject(fields, tensorboardSinkConfigSchema, { source: 'tensorboardSink' });
  const mediaRoot = config.mediaRoot ?? join(options.dir, '..');
  const files = new Map<string, BatchedFile>();
  const warned = new Set<string>();
  const experiment = new HparamsExperiment();
  // Records wait behind a samples event whose media are being read, so each file stays in order.
  let tail: Promise<void> | undefined;
  let closed = false;
  const fileFor = (folder: string): BatchedFile => {
    let file = files.get(folder);
    if (file === undefined) {
      const dir = join(options.dir, folder);
      const time = now();
      file = new BatchedFile({
        op: 'telemetry.tensorboardSink',
        target: `folder ${dir}`,
        flushEvery: config.flushEvery,
        flushIntervalMs: config.flushIntervalMs,
        open: () => createEventFile(dir, time),
      });
      file.append(frameRecord(encodeTensorboardEvent({ wallTime: time / 1000, step: 0, fileVersion: 'brain.Event:2' })));
      files.set(folder, file);
    }
    return file;
  };
  const append = (entry: TensorboardEntry, timeMs: number): void => {
    if (entry.values.length === 0) return;
    fileFor(entry.folder).append(frameRecord(encodeTensorboardEvent({ wallTime: timeMs / 1000, step: entry.step, values: entry.values })));
  };
  const later = (task: () => void | Promise<void>): void => {
    const next: Promise<void> = (tail ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => onWarning(`telemetry.tensorboardSink: could not write records into ${options.dir} (${(error as Error).message})`))
      .finally(() => {
        if (tail === next) tail = undefined;
      });
    tail = next;
  };
  const readMedia = async (path: string): Promise<Uint8Array> => {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) throw new Error('a URL, not a file in the run folder');
    const file = resolve(mediaRoot, path);
    // Checked before opening: opening a FIFO for reading would wait for a writer.
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > config.maxMediaBytes) throw new Error(`${info.size} bytes, over maxMediaBytes ${config.maxMediaBytes}`);
    const handle = await open(file, 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  };
  const samples = (event: SamplePredictionsEvent): Promise<TensorboardEntry> =>
    sampleSummaries(event, {
      readMedia,
      onSkip: (path, reason) => {
        const file = resolve(mediaRoot, path);
        if (warned.has(file)) return;
        warned.add(file);
        onWarning(`telemetry.tensorboardSink: skipped media file ${file} of the samples event at step ${event.step} (${reason}); the other records are written`);
      },
    });
  const entriesOf = (event: TelemetryEvent): TensorboardEntry[] =>
    [experiment.observe(event), tensorboardValues(event)].filter((e): e is TensorboardEntry => e !== undefined);
  const settle = async (action: (file: BatchedFile) => Promise<void>): Promise<void> => {
    while (tail !== undefined) await tail;
    const failed = (await Promise.allSettled([...files.values()].map(action))).find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };
  return {
    write(event: TelemetryEvent): void {
      if (closed) throw closedSinkError('telemetry.tensorboardSink', `folder ${options.dir}`);
      if (event.kind === 'samples') return later(async () => append(await samples(event), event.time));
      for (const entry of entriesOf(event)) {
        if (tail === undefined) append(entry, event.time);
        else later(() => append(entry, event.time));
      }
    },
    flush: () => settle((file) => file.flush()),
    close: () => {
      closed = true;
      return settle((file) => file.close());
    },
  };
}

/** Creates a new event file; a second writer in the same second gets a numbered name beside it. */
async function createEventFile(dir: string, timeMs: number): Promise<FileHandle> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `events.out.tfevents.${Math.floor(timeMs / 1000)}.${hostname()}`);
  for (let n = 0; ; n++) {
    try {
      return await open(n === 0 ? base : `${base}.${n}`, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
