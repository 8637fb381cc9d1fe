import type { OptimConfig } from '@omnitrain/optim';
import type { TrainConfig } from '../config/train-config.js';
import type { Callback } from './callback.js';
import { createCallback } from './callback-types.js';
import type { CallbackContext } from './callback-types.js';
import { earlyStopping } from './early-stopping.js';
import { modelCheckpoint } from './model-checkpoint.js';
import { reduceLrOnPlateau } from './reduce-lr-on-plateau.js';
import { resolveIn } from './resolve-in.js';

/**
 * The callbacks a run config asks for, in the order they must run: reduce-on-plateau (from the
 * optim section), early stopping, the checkpoint writer (so a checkpoint holds the updated
 * counters), then the `callbacks` list in order. Relative checkpoint dirs resolve in `runDir`.
 *
 * @param train The validated `train:` section.
 * @param context What the composition root provides (run folder, recorder, progress hook).
 * @param optim The validated `optim:` section, for its `plateau`. Default: none.
 * @throws ConfigError for an unknown callback name or invalid options.
 *
 * @example
 * const callbacks = callbacksFromConfig(config.train, { runDir, recorder, runConfig: config }, config.optim);
 */
export function callbacksFromConfig(train: TrainConfig, context: CallbackContext = {}, optim?: OptimConfig): Callback[] {
  return [
    ...(optim?.plateau ? [reduceLrOnPlateau(optim.plateau)] : []),
    ...(train.earlyStopping !== 'off' ? [earlyStopping(train.earlyStopping)] : []),
    ...(train.checkpoint !== 'off' ? [modelCheckpoint({ ...train.checkpoint, dir: resolveIn(context.runDir, train.checkpoint.dir) })] : []),
    ...train.callbacks.map((entry) => createCallback(entry, context)),
  ];
}
