import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';

/**
 * The `earlyStopping` block: stop when a monitored epoch metric stops improving.
 *
 * @example
 * earlyStoppingConfigSchema.parse({ patience: 2 }).monitor; // 'val_loss'
 */
export const earlyStoppingConfigSchema = z.strictObject({
  monitor: z.string().min(1).default('val_loss').describe('Epoch metric watched (loss, accuracy, val_loss, val_accuracy, val_f1_macro, val_roc_auc). Default "val_loss".'),
  mode: z.enum(['min', 'max']).default('min').describe('Whether the metric should go down (min) or up (max). Default "min".'),
  patience: z.int().min(0).default(5).describe('Epochs without improvement tolerated before stopping. Default 5.'),
  minDelta: z.number().min(0).default(0).describe('Least change that counts as an improvement. Default 0.'),
  restoreBest: z.boolean().default(false).describe('Restore the weights of the best epoch when stopping. Default false.'),
});

/**
 * The `checkpoint` block: where and how often the chief writes checkpoints.
 *
 * @example
 * checkpointConfigSchema.parse({}); // { dir: 'checkpoints', everyEpochs: 1, keepLast: 3 }
 */
export const checkpointConfigSchema = z.strictObject({
  dir: z.string().min(1).default('checkpoints').describe('Folder of step-<8 digits>.safetensors and latest.json, relative to the run folder. Default "checkpoints".'),
  everySteps: z.int().min(1).optional().describe('Also save every N optimizer steps. Default: off.'),
  everyEpochs: z.int().min(0).default(1).describe('Save at the end of every N-th epoch; 0 turns epoch saves off. Default 1.'),
  keepLast: z.int().min(1).default(3).describe('Checkpoint files kept (older ones are deleted). Default 3.'),
});

/**
 * One entry of the `callbacks` list: a registered callback name plus its options.
 *
 * @example
 * callbackEntrySchema.parse({ name: 'lrMonitor', every: 10 });
 */
export const callbackEntrySchema = z
  .looseObject({ name: z.string().min(1).describe('Registered callback name (see callbackTypes).') })
  .describe('A callback by registered name with its options, e.g. { name: lrMonitor, every: 10 }.');

/**
 * The schema of {@link TrainConfig}, the `train:` section of a run: epochs, step cap, global batch
 * size, evaluation cadence, seed, label smoothing, checkpoints, early stopping and more callbacks.
 *
 * @example
 * trainConfigSchema.parse({ epochs: 3 }).checkpoint.keepLast; // 3
 */
export const trainConfigSchema = z
  .strictObject({
    epochs: z.int().min(1).default(10).describe('Epochs to train. Default 10.'),
    maxSteps: z.int().min(1).optional().describe('Stop after this many optimizer steps, even mid-epoch. Default: no cap.'),
    batchSize: z.int().min(1).default(32).describe('Global batch size: samples per step summed over all ranks. Default 32.'),
    evalEvery: z.int().min(0).default(1).describe('Evaluate on the validation split every N epochs (and after the last); 0 turns evaluation off. Default 1.'),
    seed: z.int().default(0).describe('Seed of every random stream of the run. Default 0.'),
    labelSmoothing: z.number().min(0).lt(1).default(0).describe('Label smoothing epsilon of the softmax cross-entropy. Default 0.'),
    checkpoint: z
      .union([checkpointConfigSchema, z.literal('off')])
      .prefault({})
      .describe('Checkpointing, or "off". Default: every epoch into checkpoints/, keeping 3.'),
    earlyStopping: z
      .union([earlyStoppingConfigSchema, z.literal('off')])
      .default('off')
      .describe('Early stopping, or "off". Default "off".'),
    callbacks: z.array(callbackEntrySchema).default([]).describe('More callbacks, by registered name, in call order. Default [].'),
  })
  .describe('Training loop: epochs, batch size, evaluation, checkpoints, early stopping, callbacks.');

/** A validated training config, defaults filled in. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** What a user writes: {@link TrainConfig} with every defaulted field optional. */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
/** A validated checkpoint block. */
export type CheckpointConfig = z.output<typeof checkpointConfigSchema>;
/** A validated early-stopping block. */
export type EarlyStoppingConfig = z.output<typeof earlyStoppingConfigSchema>;

/**
 * Validates a training config (from YAML, a trial, a worker message), filling defaults.
 *
 * @param input The plain JSON.
 * @param source Where it came from (`run.yaml`), named in errors. Default: none.
 * @throws ConfigError listing every problem with its field path.
 *
 * @example
 * const train = parseTrainConfig({ epochs: 5, earlyStopping: { patience: 2 } });
 */
export function parseTrainConfig(input: unknown, source?: string): TrainConfig {
  return loadConfigObject(input, trainConfigSchema, { source });
}
