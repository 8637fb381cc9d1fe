import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, loadWeights } from '@omnitrain/core';
import type { ReadSafetensorsOptions } from '@omnitrain/core';
import type { Optimizer, OptimizerStateMeta } from '../optimizers/optimizer.js';
import { OPTIMIZER_STATE_KEY } from './save-optimizer-state.js';

/**
 * Restores an optimizer's state from a file written by `saveOptimizerState`; the optimizer must
 * be of the same kind over the same parameters. The next step continues exactly where the saved
 * optimizer would have.
 *
 * @param path The safetensors file.
 * @param optimizer The optimizer to restore into.
 * @param options Read options (see core's `readSafetensors`). Default: none.
 * @returns The file's other string metadata.
 * @throws CheckpointError for a file without optimizer state or a state that does not fit.
 *
 * @example
 * const opt = createOptimizer(params, config);
 * await loadOptimizerState('ckpt/optimizer.safetensors', opt);
 */
export async function loadOptimizerState(
  path: string,
  optimizer: Optimizer,
  options: ReadSafetensorsOptions = {},
): Promise<Record<string, string>> {
  const { tensors, metadata } = await loadWeights(path, options);
  try {
    const { [OPTIMIZER_STATE_KEY]: json, ...rest } = metadata;
    if (json === undefined) {
      throw new CheckpointError({
        op: 'optim.loadOptimizerState',
        expected: `metadata key "${OPTIMIZER_STATE_KEY}"`,
        received: `keys ${Object.keys(metadata).join(', ') || '(none)'}`,
        where: `file ${path}`,
        hint: 'write the file with saveOptimizerState',
      });
    }
    optimizer.importState({ tensors, meta: JSON.parse(json) as OptimizerStateMeta });
    return rest;
  } finally {
    tf.dispose(tensors);
  }
}
