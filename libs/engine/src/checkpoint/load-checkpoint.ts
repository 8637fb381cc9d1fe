import * as tf from '@tensorflow/tfjs-core';
import { loadWeights } from '@omnitrain/core';
import type { CheckpointState } from './checkpoint-state.js';
import { checkpointFromTensors } from './checkpoint-tensors.js';

/**
 * Reads a checkpoint written by `saveCheckpoint`, validating the file (and its checksum) before
 * any tensor is made. The caller owns the returned tensors (`disposeCheckpoint`).
 *
 * @param path The `.safetensors` file.
 * @throws CheckpointError naming the file when it is unreadable, corrupt or not an Omnitrain checkpoint.
 *
 * @example
 * const state = await loadCheckpoint('runs/a/checkpoints/step-00000100.safetensors');
 * state.step; // 100
 */
export async function loadCheckpoint(path: string): Promise<CheckpointState> {
  const { tensors, metadata } = await loadWeights(path);
  return checkpointFromTensors(tensors, metadata, `file ${path}`);
}

/**
 * Frees a checkpoint state's tensors.
 *
 * @example
 * disposeCheckpoint(await loadCheckpoint(path));
 */
export function disposeCheckpoint(state: CheckpointState): void {
  tf.dispose([
    ...Object.values(state.weights),
    ...Object.values(state.optimizerTensors),
    ...Object.values(state.callbackTensors ?? {}).flatMap((m) => Object.values(m)),
  ]);
}
