import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { checkpointConfigSchema } from '../config/train-config.js';
import { disposeCheckpoint } from '../checkpoint/load-checkpoint.js';
import { saveCheckpoint } from '../checkpoint/save-checkpoint.js';
import type { Trainer } from '../trainer/trainer.js';
import type { Callback } from './callback.js';

/**
 * The options of {@link modelCheckpoint}: the checkpoint block plus an optional monitor.
 *
 * @example
 * modelCheckpointConfigSchema.parse({ everySteps: 100 }).keepLast; // 3
 */
export const modelCheckpointConfigSchema = checkpointConfigSchema.extend({
  monitor: z.string().min(1).optional().describe('Epoch metric that marks a checkpoint "best" in its event (e.g. val_loss). Default: none.'),
  mode: z.enum(['min', 'max']).default('min').describe('Whether the monitor should go down or up. Default "min".'),
});

/** What {@link modelCheckpoint} accepts. */
export type ModelCheckpointOptions = z.input<typeof modelCheckpointConfigSchema>;

/**
 * Saves the full training state (weights, optimizer, schedule, RNG, data position, counters,
 * metrics, callback states) every `everySteps` optimizer steps and/or every `everyEpochs` epochs,
 * keeping the newest `keepLast` files. Only the chief writes; every rank meets at a barrier before
 * and after, so no rank runs ahead of a checkpoint. `dir` is used as given (resolve it first).
 *
 * @param options dir ('checkpoints'), everySteps (off), everyEpochs (1), keepLast (3), monitor, mode.
 *
 * @example
 * modelCheckpoint({ dir: 'runs/a/checkpoints', everySteps: 500, keepLast: 2 });
 */
export function modelCheckpoint(options: ModelCheckpointOptions = {}): Callback {
  const c = loadConfigObject(options, modelCheckpointConfigSchema, { source: 'engine.modelCheckpoint' });
  let lastSaved = -1;
  let best: number | null = null;
  const save = async (trainer: Trainer, monitorValue?: number) => {
    if (trainer.step === lastSaved) return;
    lastSaved = trainer.step;
    const label = `checkpoint-${trainer.step}`;
    await trainer.strategy.barrier(`${label}-begin`);
    if (trainer.strategy.isChief) {
      const state = trainer.checkpointState();
      try {
        const { path, bytes } = await saveCheckpoint(c.dir, state, { keepLast: c.keepLast });
        const isBest = monitorValue !== undefined && (best === null || (c.mode === 'min' ? monitorValue < best : monitorValue > best));
        if (isBest) best = monitorValue;
        const monitor = c.monitor !== undefined && monitorValue !== undefined ? { name: c.monitor, value: monitorValue } : undefined;
        await trainer.announceCheckpoint({ path, bytes, monitor, best: isBest });
      } finally {
        disposeCheckpoint(state);
      }
    }
    await trainer.strategy.barrier(`${label}-end`);
  };
  return {
    name: 'modelCheckpoint',
    async onBatchEnd({ trainer, stepped }) {
      if (stepped && c.everySteps !== undefined && trainer.step % c.everySteps === 0) await save(trainer);
    },
    async onEpochEnd({ trainer, epoch, logs }) {
      if (c.everyEpochs > 0 && (epoch + 1) % c.everyEpochs === 0) await save(trainer, c.monitor === undefined ? undefined : logs[c.monitor]);
    },
    getState: () => ({ best }),
    setState(s) {
      best = (s as { best: number | null }).best;
    },
  };
}
