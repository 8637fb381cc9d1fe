import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Callback } from './callback.js';

/** One progress update, what the CLI's bars draw. */
export interface ProgressUpdate {
  /** `batch` after a batch, `epoch` at an epoch's end (metrics are then the epoch's). */
  readonly phase: 'batch' | 'epoch';
  readonly epoch: number;
  readonly epochs: number;
  /** Batches done in this epoch. */
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** Optimizer steps completed. */
  readonly step: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Global samples per second (smoothed over recent batches). */
  readonly samplesPerSec: number;
}

/**
 * The options of {@link progressCallback}.
 *
 * @example
 * progressCallbackConfigSchema.parse({}).every; // 1
 */
export const progressCallbackConfigSchema = z.strictObject({
  every: z.int().min(1).default(1).describe('Report every N batches (and at every epoch end). Default 1.'),
});

/** What {@link progressCallback} accepts. */
export type ProgressCallbackOptions = z.input<typeof progressCallbackConfigSchema>;

/**
 * A plain progress hook: calls `onProgress` every `every` batches and at each epoch's end with
 * epoch, batch, step, metrics and throughput. Without `onProgress` it writes one line to stderr.
 *
 * @example
 * progressCallback((p) => bar.update(p.batch, { loss: p.metrics.loss }), { every: 5 });
 */
export function progressCallback(onProgress?: (update: ProgressUpdate) => void, options: ProgressCallbackOptions = {}): Callback {
  const c = loadConfigObject(options, progressCallbackConfigSchema, { source: 'engine.progressCallback' });
  const emit = onProgress ?? ((p: ProgressUpdate) => {
    const m = Object.entries(p.metrics).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(' ');
    process.stderr.write(`epoch ${p.epoch + 1}/${p.epochs} batch ${p.batch}/${p.batchesPerEpoch} step ${p.step} ${m} ${p.samplesPerSec.toFixed(1)} samples/s\n`);
  });
  let rate = NaN;
  let batchesPerEpoch = 0;
  let batch = 0;
  return {
    name: 'progress',
    onBatchEnd(info) {
      const now = (info.samples / info.timings.totalMs) * 1000;
      rate = Number.isNaN(rate) ? now : 0.9 * rate + 0.1 * now;
      batchesPerEpoch = info.batchesPerEpoch;
      batch = info.batch + 1;
      if (batch % c.every !== 0) return;
      emit({ phase: 'batch', epoch: info.epoch, epochs: info.trainer.epochs, batch, batchesPerEpoch, step: info.trainer.step, metrics: { loss: info.loss, accuracy: info.accuracy }, samplesPerSec: rate });
    },
    onEpochEnd({ trainer, epoch, logs }) {
      emit({ phase: 'epoch', epoch, epochs: trainer.epochs, batch, batchesPerEpoch, step: trainer.step, metrics: logs, samplesPerSec: rate });
    },
  };
}
