import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadConfigObject } from '@omnitrain/core';
import { z } from 'zod';
import type { TelemetryEvent } from '../events/event-schema.js';
import { serializeEvent } from '../events/serialize-event.js';
import { BatchedFile, batchingConfigFields } from '../sinks/batched-file.js';
import type { Sink } from '../sinks/sink.js';

/** Config of the `jsonl` sink. */
export const jsonlSinkConfigSchema = z.strictObject({
  path: z.string().min(1).optional().describe('The log file. Default <runDir>/events.jsonl.'),
  ...batchingConfigFields,
});

/** Options of {@link jsonlSink}: the config, with the path required. */
export type JsonlSinkOptions = Omit<z.input<typeof jsonlSinkConfigSchema>, 'path'> & { path: string };

/**
 * A sink appending each event as one line of JSON to `path` (`events.jsonl`, one file per run),
 * written in batches. Creates the directory if needed; when the file exists (a resumed run) it
 * appends, after cutting off a half-written last line that a crashed writer left, so the first new
 * event does not glue onto it. One writer per file.
 *
 * @param options `path`; `flushEvery` (default 64 events), `flushIntervalMs` (default 1000).
 * @throws ConfigError for invalid options. Write failures are thrown by `flush` and `close`.
 *
 * @example
 * const sink = jsonlSink({ path: join(runDir, 'events.jsonl') });
 */
export function jsonlSink(options: JsonlSinkOptions): Sink {
  const config = loadConfigObject(options, jsonlSinkConfigSchema, { source: 'jsonlSink' });
  const path = options.path;
  const file = new BatchedFile({ ...config, op: 'telemetry.jsonlSink', target: `file ${path}`, open: () => openForAppend(path) });
  return {
    write: (event: TelemetryEvent) => file.append(Buffer.from(`${serializeEvent(event)}\n`)),
    flush: () => file.flush(),
    close: () => file.close(),
  };
}

async function openForAppend(path: string): Promise<FileHandle> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a+');
  try {
    const { size } = await handle.stat();
    const end = await endOfLastLine(handle, size);
    if (end < size) await handle.truncate(end);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The offset just past the file's last newline (0 if none): where complete lines end. */
async function endOfLastLine(handle: FileHandle, size: number): Promise<number> {
  const window = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - window.length);
    const { bytesRead } = await handle.read(window, 0, end - start, start);
    const newline = window.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
    end = start;
  }
  return 0;
}
