import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '@omnitrain/core';
import { CHECKPOINT_FORMAT, CHECKPOINT_METADATA_KEY } from './checkpoint-state.js';
import type { CheckpointMeta, CheckpointState } from './checkpoint-state.js';

/**
 * The flat form of a checkpoint, as stored in its safetensors file: tensors under `model/`,
 * `optimizer/` and `callbacks/<name>/`, the JSON half under the metadata key `omnitrain.checkpoint`.
 * Shared by the file (saveCheckpoint / loadCheckpoint) and the in-memory form (encodeCheckpoint /
 * decodeCheckpoint), so both hold exactly the same thing.
 *
 * @example
 * const { tensors, metadata } = checkpointTensors(trainer.checkpointState());
 */
export function checkpointTensors(state: CheckpointState): { tensors: tf.NamedTensorMap; metadata: Record<string, string> } {
  const { weights, optimizerTensors, callbackTensors, ...meta } = state;
  const tensors = {
    ...Object.fromEntries(Object.entries(weights).map(([n, t]) => [`model/${n}`, t])),
    ...Object.fromEntries(Object.entries(optimizerTensors).map(([n, t]) => [`optimizer/${n}`, t])),
    ...Object.fromEntries(
      Object.entries(callbackTensors ?? {}).flatMap(([cb, map]) => Object.entries(map).map(([n, t]) => [`callbacks/${cb}/${n}`, t])),
    ),
  };
  return { tensors, metadata: { [CHECKPOINT_METADATA_KEY]: JSON.stringify({ format: CHECKPOINT_FORMAT, ...meta }) } };
}

/**
 * The checkpoint state from its flat form ({@link checkpointTensors}); takes ownership of `tensors`
 * (disposes them when the metadata is not an Omnitrain checkpoint's).
 *
 * @param where Names the source in errors (`file runs/a/checkpoints/step-00000100.safetensors`).
 * @throws CheckpointError naming `where` when the metadata is missing or of another format.
 * @example
 * const state = checkpointFromTensors(tensors, metadata, 'file x.safetensors');
 */
export function checkpointFromTensors(tensors: tf.NamedTensorMap, metadata: Readonly<Record<string, string>>, where: string): CheckpointState {
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
      where,
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
