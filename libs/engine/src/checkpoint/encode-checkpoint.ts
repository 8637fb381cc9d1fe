import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, encodeSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';
import type { CheckpointState } from './checkpoint-state.js';
import { checkpointTensors } from './checkpoint-tensors.js';

/**
 * A checkpoint state as bytes: exactly the safetensors file `saveCheckpoint` writes (with its data
 * checksum), held in memory, e.g. to send a whole training state to another rank (elastic regroup).
 * Reads the tensors synchronously; does not dispose them.
 *
 * @throws CheckpointError naming the tensor when one is not float32, int32 or bool.
 * @example
 * const bytes = encodeCheckpoint(trainer.checkpointState());
 * const copy = decodeCheckpoint(bytes, 'rank 0, generation 1');
 */
export function encodeCheckpoint(state: CheckpointState): Uint8Array {
  const { tensors, metadata } = checkpointTensors(state);
  const entries = Object.entries(tensors).map(([name, t]) => [name, safetensorsOf(t, name)] as const);
  return encodeSafetensors(Object.fromEntries(entries), metadata);
}

function safetensorsOf(t: tf.Tensor, name: string): SafetensorsTensor {
  const shape = [...t.shape];
  switch (t.dtype) {
    case 'float32':
      return { dtype: 'F32', shape, data: Float32Array.from(t.dataSync() as Float32Array) };
    case 'int32':
      return { dtype: 'I32', shape, data: Int32Array.from(t.dataSync() as Int32Array) };
    case 'bool':
      return { dtype: 'BOOL', shape, data: Uint8Array.from(t.dataSync() as Uint8Array) };
    default:
      throw new CheckpointError({ op: 'engine.encodeCheckpoint', expected: 'float32, int32 or bool tensors', received: `a ${t.dtype} tensor`, where: `tensor ${JSON.stringify(name)}` });
  }
}
