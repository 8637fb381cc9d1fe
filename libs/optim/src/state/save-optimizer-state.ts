import * as tf from '@tensorflow/tfjs-core';
import { saveWeights } from '@omnitrain/core';
import type { WriteSafetensorsOptions } from '@omnitrain/core';
import type { Optimizer } from '../optimizers/optimizer.js';

/** The safetensors metadata key holding an optimizer state's JSON half. */
export const OPTIMIZER_STATE_KEY = 'omnitrain.optim';

/**
 * Writes an optimizer's state to a safetensors file, atomically and with a checksum (core's
 * `saveWeights`): the slot tensors by `<param>/<slot>`, the JSON half under the metadata key
 * {@link OPTIMIZER_STATE_KEY}.
 *
 * @param path The file to create or replace; its directory must exist.
 * @param optimizer The optimizer.
 * @param metadata More string metadata (`step`, `epoch`, ...). Default: none.
 * @param options Write options (see core's `writeSafetensors`). Default: none.
 * @returns The file's size in bytes.
 *
 * @example
 * await saveOptimizerState('ckpt/optimizer.safetensors', opt, { step: String(step) });
 */
export async function saveOptimizerState(
  path: string,
  optimizer: Optimizer,
  metadata: Readonly<Record<string, string>> = {},
  options: WriteSafetensorsOptions = {},
): Promise<number> {
  const { tensors, meta } = optimizer.exportState();
  try {
    return await saveWeights(path, tensors, { ...metadata, [OPTIMIZER_STATE_KEY]: JSON.stringify(meta) }, options);
  } finally {
    tf.dispose(tensors);
  }
}
