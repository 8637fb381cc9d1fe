import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, loadWeights } from '@omnitrain/core';
import { CHECKPOINT_FORMAT, CHECKPOINT_METADATA_KEY } from './checkpoint-state.js';
import type { CheckpointMeta, CheckpointState } from './checkpoint-state.js';

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
  const json = metadata[CHECKPOINT_METADATA_KEY];
  let meta: (CheckpointMeta & { format?: string }) | undefined;
  try {
    meta = json === undefined ? undefined : (JSON.parse(json) as CheckpointMeta & { format?: string });
  } catch {
    meta = undefined;
  }
  if (meta?.format !== CHECKPOINT_FORMAT || !Number.isInteger(meta.step) || !Number.isInteger(meta.epoch)) {
    tf.dispose(tensors);
    throw new CheckpointError({
      op: 'engine.loadCheckpoint',
      expected: `metadata "${CHECKPOINT_METADATA_KEY}" in format ${CHECKPOINT_FORMAT}`,
      received: json === undefined ? `keys ${Object.keys(metadata).join(', ') || '(none)'}` : json.slice(0, 80),
      where: `file ${path}`,
      hint: 'a plain weights file loads with loadPartialWeights; a trainer checkpoint is written by saveCheckpoint',
    });
  }
  const { format: _format, ...rest } = meta;
  const pick = (prefix: string) =>
    Object.fromEntries(Object.entries(tensors).filter(([n]) => n.startsWith(prefix)).map(([n, t]) => [n.slice(prefix.length), t]));
  const callbackTensors: Record<string, tf.NamedTensorMap> = {};
  for (const [n, t] of Object.entries(pick('callbacks/'))) {
    const cut = n.indexOf('/');
    (callbackTensors[n.slice(0, cut)] ??= {})[n.slice(cut + 1)] = t;
  }
  return { ...rest, weights: pick('model/'), optimizerTensors: pick('optimizer/'), callbackTensors };
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
