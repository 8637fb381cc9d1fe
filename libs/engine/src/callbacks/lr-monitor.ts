import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Callback } from './callback.js';

/**
 * The options of {@link lrMonitor}.
 *
 * @example
 * lrMonitorConfigSchema.parse({}).every; // 1
 */
export const lrMonitorConfigSchema = z.strictObject({
  every: z.int().min(1).default(1).describe('Record every N optimizer steps. Default 1.'),
});

/** What {@link lrMonitor} accepts. */
export type LrMonitorOptions = z.input<typeof lrMonitorConfigSchema> & {
  /** Called with each record (e.g. to print it). Default: none. */
  onRecord?: (record: LrRecord) => void;
};

/** One learning-rate record: the rate of each parameter group used for a step. */
export interface LrRecord {
  readonly step: number;
  /** Rate by group name. */
  readonly lrs: Readonly<Record<string, number>>;
}

/**
 * Records every parameter group's learning rate every `every` steps (as used for that step, schedule
 * included), Lightning's LearningRateMonitor; the records are on the callback's `records`.
 *
 * @example
 * const lr = lrMonitor({ every: 10 });
 * await new Trainer({ ..., callbacks: [lr] }).fit();
 * lr.records[0]; // { step: 0, lrs: { default: 0.001 } }
 */
export function lrMonitor(options: LrMonitorOptions = {}): Callback & { readonly records: LrRecord[] } {
  const { onRecord, ...rest } = options;
  const c = loadConfigObject(rest, lrMonitorConfigSchema, { source: 'engine.lrMonitor' });
  const records: LrRecord[] = [];
  return {
    name: 'lrMonitor',
    records,
    onBatchEnd({ trainer, step, stepped, lr }) {
      if (!stepped || step % c.every !== 0) return;
      const record = { step, lrs: Object.fromEntries(trainer.optimizer.groups.map((g, i) => [g.name, lr[i]!])) };
      records.push(record);
      onRecord?.(record);
    },
  };
}
