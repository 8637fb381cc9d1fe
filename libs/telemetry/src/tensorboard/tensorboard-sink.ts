import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadConfigObject } from '@omnitrain/core';
import { z } from 'zod';
import type { TelemetryEvent } from '../events/event-schema.js';
import { BatchedFile, batchingConfigFields } from '../sinks/batched-file.js';
import { closedSinkError } from '../sinks/closed-sink-error.js';
import type { Sink } from '../sinks/sink.js';
import { encodeTensorboardEvent } from './encode-tensorboard-event.js';
import { frameRecord } from './frame-record.js';
import { tensorboardValues } from './tensorboard-values.js';

/** Config of the `tensorboard` sink. */
export const tensorboardSinkConfigSchema = z.strictObject({
  dir: z.string().min(1).optional().describe('Folder for the event files (`tensorboard --logdir` it). Default <runDir>/tensorboard.'),
  ...batchingConfigFields,
});

/** Options of {@link tensorboardSink}: the config, with the folder required. */
export type TensorboardSinkOptions = Omit<z.input<typeof tensorboardSinkConfigSchema>, 'dir'> & {
  dir: string;
  /** Clock for file names and the file-version record, in ms. Default Date.now. */
  now?: () => number;
};

/**
 * A sink writing TensorBoard event files (`events.out.tfevents.<seconds>.<host>`: TFRecords of
 * `Event` protobufs, the first holding file_version "brain.Event:2"), one per folder that
 * {@link tensorboardValues} picks: `<dir>/train`, `<dir>/val`, `<dir>/test` and `<dir>` itself.
 * Events TensorBoard has no chart for are ignored.
 *
 * @param options `dir`; `flushEvery` (default 64 events), `flushIntervalMs` (default 1000).
 * @throws ConfigError for invalid options. Write failures are thrown by `flush` and `close`.
 *
 * @example
 * const sink = tensorboardSink({ dir: join(runDir, 'tensorboard') }); // then: tensorboard --logdir runs/
 */
export function tensorboardSink(options: TensorboardSinkOptions): Sink {
  const { now = Date.now, ...fields } = options;
  const config = loadConfigObject(fields, tensorboardSinkConfigSchema, { source: 'tensorboardSink' });
  const files = new Map<string, BatchedFile>();
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

  const settle = async (action: (file: BatchedFile) => Promise<void>): Promise<void> => {
    const failed = (await Promise.allSettled([...files.values()].map(action))).find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };

  return {
    write(event: TelemetryEvent): void {
      if (closed) throw closedSinkError('telemetry.tensorboardSink', `folder ${options.dir}`);
      const entry = tensorboardValues(event);
      if (entry === undefined) return;
      const record = encodeTensorboardEvent({ wallTime: event.time / 1000, step: entry.step, values: entry.values });
      fileFor(entry.folder).append(frameRecord(record));
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
