import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { earlyStoppingConfigSchema } from '../config/train-config.js';
import type { EarlyStoppingConfig } from '../config/train-config.js';
import type { z } from 'zod';
import type { Callback } from './callback.js';

interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number;
  wait: number;
}

/**
 * Stops training when an epoch metric has not improved (by more than `minDelta`) for `patience`
 * epochs, Keras' EarlyStopping; with `restoreBest` it puts back the weights of the best epoch.
 * Counters and the best weights survive a resume (both are in checkpoints).
 *
 * @param options monitor ('val_loss'), mode ('min'), patience (5), minDelta (0), restoreBest (false).
 * @throws ConfigError for invalid options, or (during fit) when the monitored metric never appears.
 *
 * @example
 * new Trainer({ ..., callbacks: [earlyStopping({ monitor: 'val_accuracy', mode: 'max', patience: 3 })] });
 */
export function earlyStopping(options: z.input<typeof earlyStoppingConfigSchema> = {}): Callback {
  const c: EarlyStoppingConfig = loadConfigObject(options, earlyStoppingConfigSchema, { source: 'engine.earlyStopping' });
  let state: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0 };
  let bestWeights: tf.NamedTensorMap | undefined;
  const drop = () => {
    if (bestWeights) tf.dispose(Object.values(bestWeights));
    bestWeights = undefined;
  };
  const improved = (v: number) =>
    state.best === null || (c.mode === 'min' ? v < state.best - c.minDelta : v > state.best + c.minDelta);
  return {
    name: 'earlyStopping',
    async onEpochEnd({ trainer, epoch, logs }) {
      const value = logs[c.monitor];
      if (value === undefined) {
        if (c.monitor.startsWith('val_') && trainer.validation) return; // an epoch without evaluation
        throw new ConfigError({
          op: 'engine.earlyStopping',
          expected: `an epoch metric named "${c.monitor}"`,
          received: `metrics ${Object.keys(logs).join(', ')}`,
          hint: c.monitor.startsWith('val_') ? 'give the Trainer a validation source' : undefined,
        });
      }
      if (improved(value)) {
        state = { best: value, bestEpoch: epoch, wait: 0 };
        if (c.restoreBest) {
          drop();
          bestWeights = tf.tidy(() => Object.fromEntries(Object.entries(trainer.model.variables).map(([n, v]) => [n, tf.clone(v)])));
        }
        return;
      }
      state.wait += 1;
      if (state.wait < c.patience) return;
      const restoredBest = c.restoreBest && bestWeights !== undefined;
      if (restoredBest) for (const [n, v] of Object.entries(trainer.model.variables)) v.assign(bestWeights![n]!);
      await trainer.stop(`early stopping: ${c.monitor} did not improve for ${state.wait} epochs (best ${state.best} at epoch ${state.bestEpoch})`, {
        stoppedEpoch: epoch,
        monitor: c.monitor,
        mode: c.mode,
        bestValue: state.best ?? NaN,
        bestEpoch: state.bestEpoch,
        patience: c.patience,
        restoredBest,
      });
    },
    onTrainEnd: drop,
    onError: drop,
    getState: () => ({ ...state }),
    getTensors: () => (bestWeights ? tf.tidy(() => Object.fromEntries(Object.entries(bestWeights!).map(([n, t]) => [n, tf.clone(t)]))) : {}),
    setTensors(tensors) {
      drop();
      bestWeights = tf.tidy(() => Object.fromEntries(Object.entries(tensors).map(([n, t]) => [n, tf.clone(t)])));
    },
    setState(s) {
      state = { ...(s as EarlyStoppingState) };
    },
  };
}
