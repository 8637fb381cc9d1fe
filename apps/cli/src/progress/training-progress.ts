import type { ProgressUpdate } from '@omnitrain/engine';
import { createProgressBar } from './progress-bar.js';
import type { ProgressBar } from './progress-bar.js';

/** Options of {@link trainingProgress}. */
export interface TrainingProgressOptions {
  /** Where to draw. Default: `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Live bars (true) or plain lines (false). Default: whether the stream is a TTY. */
  tty?: boolean;
  /** Put before each label, e.g. `[image] `. Default: none. */
  prefix?: string;
}

/** Formats metrics as `loss 0.4120 accuracy 0.8750`, keys in a stable order. */
function formatMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(' ');
}

/**
 * Draws training progress from the engine's progress callback: one bar per epoch over its batches
 * (`epoch 2/5 [=====-----] 50% 10/20 loss 0.41 accuracy 0.88 310 samples/s`), ended at the epoch's
 * end with the epoch's metrics (train and validation).
 *
 * @param options Stream, TTY choice and label prefix.
 * @returns The `onProgress` handler to give to `progressCallback` (or a CallbackContext).
 *
 * @example
 * const callbacks = [progressCallback(trainingProgress(), { every: 1 })];
 */
export function trainingProgress(options: TrainingProgressOptions = {}): (update: ProgressUpdate) => void {
  let bar: ProgressBar | undefined;
  let barEpoch = -1;
  return (u) => {
    if (bar === undefined || barEpoch !== u.epoch) {
      bar?.stop();
      barEpoch = u.epoch;
      bar = createProgressBar({
        label: `${options.prefix ?? ''}epoch ${u.epoch + 1}/${u.epochs}`,
        total: u.batchesPerEpoch,
        stream: options.stream,
        tty: options.tty,
      });
    }
    if (u.phase === 'batch') {
      bar.update(u.batch, `${formatMetrics(u.metrics)} ${u.samplesPerSec.toFixed(0)} samples/s`);
    } else {
      bar.update(u.batchesPerEpoch);
      bar.stop(formatMetrics(u.metrics));
      bar = undefined;
    }
  };
}
