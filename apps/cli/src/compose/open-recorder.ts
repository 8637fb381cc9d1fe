import { existsSync } from 'node:fs';
import { httpSink, jsonlSink, multiSink, readEvents, RunRecorder, tensorboardSink } from '@omnitrain/telemetry';
import type { Sink } from '@omnitrain/telemetry';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import type { RunFolder } from '../run/run-folder.js';

/**
 * Opens the run's event writer on the chief: the JSONL log (always), TensorBoard event files
 * (`telemetry.tensorboard`: scalars, histograms, hparams, and the samples' images / audio / texts,
 * read from the run folder) and the dashboard's HTTP ingest (`telemetry.dashboard`), behind one
 * RunRecorder. A resumed run's log is appended to, its sequence numbers continuing after the last
 * event already there.
 *
 * @param folder The run folder.
 * @param telemetry The run's telemetry section.
 * @returns The recorder; `close()` it (flushes every sink) when the run ends.
 *
 * @example
 * const { recorder, close } = await openRecorder(folder, run.telemetry);
 * try { await trainer.fit(); } finally { await close(); }
 */
export async function openRecorder(folder: RunFolder, telemetry: TelemetryConfig): Promise<{ recorder: RunRecorder; close: () => Promise<void> }> {
  const warn = (m: string): void => void process.stderr.write(`warning: ${m}\n`);
  const sinks: Sink[] = [jsonlSink({ path: folder.events })];
  // TensorBoard gets the sample images / audio (copied into <run>/samples/) read from the run folder.
  if (telemetry.tensorboard) sinks.push(tensorboardSink({ dir: folder.tensorboard, mediaRoot: folder.dir, onWarning: warn }));
  if (telemetry.dashboard) {
    sinks.push(
      httpSink({
        url: new URL('/api/ingest', telemetry.dashboard.url).toString(),
        headers: telemetry.dashboard.token ? { authorization: `Bearer ${telemetry.dashboard.token}` } : {},
        onWarning: warn,
      }),
    );
  }
  const sink = multiSink(sinks);
  let firstSeq = 0;
  if (existsSync(folder.events)) {
    const { events } = await readEvents(folder.events);
    firstSeq = events.length ? events.at(-1)!.seq + 1 : 0;
  }
  const recorder = new RunRecorder({ runId: folder.runId, sink, firstSeq });
  return { recorder, close: () => sink.close() };
}
