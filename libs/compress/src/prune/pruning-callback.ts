import type * as tf from '@tensorflow/tfjs-core';
import type { Callback, HookInfo } from '@omnitrain/engine';
import { applyMasks } from './apply-masks.js';
import { magnitudeMasks } from './magnitude-masks.js';
import { parsePruneConfig } from './prune-config.js';
import type { PruneConfigInput } from './prune-config.js';
import { polynomialDecaySparsity } from './polynomial-decay-sparsity.js';

/** The callback of {@link pruningCallback}, with what it holds now. */
export interface PruningCallback extends Callback {
  /** The sparsity the current masks were computed for. */
  readonly sparsity: number;
  /** The current masks by weight name (owned by the callback). */
  readonly masks: Readonly<Record<string, tf.Tensor>>;
}

/**
 * Magnitude pruning during fine-tuning (TF-MOT's `prune_low_magnitude` + `UpdatePruningStep`): at
 * train begin and every `schedule.frequency` steps the masks are recomputed for the schedule's
 * sparsity ({@link polynomialDecaySparsity}); after every optimizer step they are re-applied, so pruned
 * weights stay exactly 0. The masks are freed at train end.
 *
 * @param options A prune config ({@link pruneConfigSchema}).
 * @returns The callback, exposing its current `sparsity` and `masks`.
 *
 * @example
 * const trainer = new Trainer({ model, optimizer, train, epochs: 2,
 *   callbacks: [pruningCallback({ sparsity: 0.8, schedule: { endStep: 100 } })] });
 */
export function pruningCallback(options: PruneConfigInput = {}): PruningCallback {
  const config = parsePruneConfig(options, 'compress.pruningCallback');
  let masks: Record<string, tf.Tensor> = {};
  let sparsity = 0;
  const update = ({ trainer, step }: HookInfo): void => {
    const target = polynomialDecaySparsity(config.schedule, config.sparsity, step);
    const due = (step - config.schedule.beginStep) % config.schedule.frequency === 0 || target === config.sparsity;
    if (target > 0 && (target !== sparsity || Object.keys(masks).length === 0) && due) {
      dispose(masks);
      masks = magnitudeMasks(trainer.model.variables, config, target);
      sparsity = target;
    }
    applyMasks(trainer.model.variables, masks);
  };
  return {
    name: 'pruning',
    get sparsity() {
      return sparsity;
    },
    get masks() {
      return masks;
    },
    onTrainBegin: update,
    onBatchEnd(info) {
      if (info.stepped) update(info);
    },
    onTrainEnd() {
      dispose(masks);
      masks = {};
    },
  };
}

function dispose(masks: Record<string, tf.Tensor>): void {
  for (const m of Object.values(masks)) m.dispose();
}
