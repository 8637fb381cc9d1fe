import { decodeSafetensors, safetensorsToTensor } from '@omnitrain/core';
import type { CheckpointState } from './checkpoint-state.js';
import { checkpointFromTensors } from './checkpoint-tensors.js';

/**
 * The checkpoint state held in `bytes` (what {@link encodeCheckpoint} or `saveCheckpoint` produced),
 * validated whole (header, shapes, data checksum, format) before any tensor is made. The caller owns
 * the tensors (`disposeCheckpoint`).
 *
 * @param where Names the bytes' origin in errors, e.g. `state from rank 0, generation 2`.
 * @throws CheckpointError naming `where` for corrupt or foreign bytes.
 * @example
 * const state = decodeCheckpoint(bytes, 'state from rank 0, generation 2');
 * await trainer.resumeFrom(state);
 */
export function decodeCheckpoint(bytes: Uint8Array, where: string): CheckpointState {
  const { tensors, metadata } = decodeSafetensors(bytes, { source: where });
  const made = Object.entries(tensors).map(([name, t]) => [name, safetensorsToTensor(t, `${where}, tensor ${JSON.stringify(name)}`)] as const);
  return checkpointFromTensors(Object.fromEntries(made), metadata, where);
}
