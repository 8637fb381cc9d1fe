import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors.js';
import { readSafetensors } from './read-safetensors.js';
import type { ReadSafetensorsOptions } from './read-safetensors.js';
import type { SafetensorsTensor } from './safetensors-dtype.js';
import { widenToFloat32 } from './widen-to-float32.js';
import { writeSafetensors } from './write-safetensors.js';
import type { WriteSafetensorsOptions } from './write-safetensors.js';

/** What {@link loadWeights} returns. */
export interface LoadedWeights {
  /** The tensors by name, in file order; the caller owns (and disposes) them. */
  tensors: tf.NamedTensorMap;
  /** The file's string metadata. */
  metadata: Record<string, string>;
}

/**
 * The safetensors form of a tfjs tensor: float32 → F32, int32 → I32, bool → BOOL.
 *
 * @param name Names the tensor in error messages. Default: none.
 * @throws {CheckpointError} for complex64 and string tensors, which safetensors cannot hold.
 *
 * @example
 * const entry = await tensorToSafetensors(tf.tensor2d([[1, 2]])); // { dtype: 'F32', shape: [1, 2], ... }
 */
export async function tensorToSafetensors(tensor: tf.Tensor, name?: string): Promise<SafetensorsTensor> {
  const shape = [...tensor.shape];
  switch (tensor.dtype) {
    case 'float32':
      return { dtype: 'F32', shape, data: asArray(await tensor.data(), Float32Array) };
    case 'int32':
      return { dtype: 'I32', shape, data: asArray(await tensor.data(), Int32Array) };
    case 'bool':
      return { dtype: 'BOOL', shape, data: asArray(await tensor.data(), Uint8Array) };
    default:
      throw new CheckpointError({
        op: 'checkpoint.saveWeights',
        expected: 'a float32, int32 or bool tensor',
        received: `a ${tensor.dtype} tensor`,
        where: name === undefined ? undefined : `tensor ${JSON.stringify(name)}`,
        hint: 'safetensors holds numeric tensors only; cast it or keep it out of the checkpoint',
      });
  }
}

/**
 * A tfjs tensor from a safetensors one, in the tfjs dtype that holds its values: floats (F16, BF16,
 * F8, F32) → float32, exactly; F64 → float32, rounded (tfjs has no float64); integers → int32
 * (U32, I64 and U64 only when every value fits, else an error); BOOL → bool.
 *
 * @param where Names the tensor's origin in error messages (`file x.safetensors, tensor "w"`).
 * @throws {CheckpointError} when an integer does not fit in int32.
 *
 * @example
 * safetensorsToTensor({ dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xc000]) }); // [1, -2]
 */
export function safetensorsToTensor(entry: SafetensorsTensor, where?: string): tf.Tensor {
  const { values, dtype } = tfjsValues(entry, where);
  return tf.tensor(values, [...entry.shape], dtype);
}

/**
 * Saves named tfjs tensors (a model's weights, an optimizer's slots) to a safetensors file,
 * atomically and with a data checksum (see `writeSafetensors`).
 *
 * @param path The file to create or replace; its directory must exist.
 * @param tensors Tensors by name: float32, int32 or bool.
 * @param metadata String metadata (`step`, `epoch`, ...). Default: none.
 * @returns The file's size in bytes.
 *
 * @example
 * const named = Object.fromEntries(model.weights.map((w) => [w.originalName, w.read()]));
 * await saveWeights('ckpt/last.safetensors', named, { epoch: '3' });
 */
export async function saveWeights(
  path: string,
  tensors: tf.NamedTensorMap,
  metadata: Readonly<Record<string, string>> = {},
  options: WriteSafetensorsOptions = {},
): Promise<number> {
  const entries = await Promise.all(
    Object.entries(tensors).map(async ([name, t]) => [name, await tensorToSafetensors(t, name)] as const),
  );
  return writeSafetensors(path, Object.fromEntries(entries), metadata, options);
}

/**
 * Loads a safetensors file (Omnitrain's or another tool's) as tfjs tensors on the active backend,
 * converting dtypes as {@link safetensorsToTensor} does. The file is validated and every tensor
 * converted before the first tfjs tensor is made, so a bad file leaves nothing half-loaded. On the
 * cpu backend, F32/I32/BOOL tensors share the file's buffer, which is freed once all are disposed.
 *
 * @example
 * const { tensors } = await loadWeights('ckpt/last.safetensors');
 * model.setWeights(model.weights.map((w) => tensors[w.originalName]!));
 */
export async function loadWeights(path: string, options: ReadSafetensorsOptions = {}): Promise<LoadedWeights> {
  const { tensors, metadata } = await readSafetensors(path, options);
  const converted = Object.entries(tensors).map(
    ([name, t]) => [name, t.shape, tfjsValues(t, `file ${path}, tensor ${JSON.stringify(name)}`)] as const,
  );
  const made = converted.map(([name, shape, { values, dtype }]) => [name, tf.tensor(values, [...shape], dtype)]);
  return { tensors: Object.fromEntries(made), metadata };
}

type TfjsValues =
  | { values: Float32Array; dtype: 'float32' }
  | { values: Int32Array; dtype: 'int32' }
  | { values: Uint8Array; dtype: 'bool' };

function tfjsValues(t: SafetensorsTensor, where: string | undefined): TfjsValues {
  switch (t.dtype) {
    case 'F32':
      return { values: t.data, dtype: 'float32' };
    case 'F64':
      return { values: Float32Array.from(t.data), dtype: 'float32' };
    case 'F16':
    case 'BF16':
    case 'F8_E5M2':
    case 'F8_E4M3':
      return { values: widenToFloat32(t.dtype, t.data), dtype: 'float32' };
    case 'I32':
      return { values: t.data, dtype: 'int32' };
    case 'U8':
    case 'I8':
    case 'I16':
    case 'U16':
      return { values: Int32Array.from(t.data), dtype: 'int32' };
    case 'U32':
    case 'I64':
    case 'U64':
      return { values: toInt32(t.data, t.dtype, where), dtype: 'int32' };
    case 'BOOL':
      return { values: t.data, dtype: 'bool' };
  }
}

function toInt32(data: ArrayLike<number | bigint>, dtype: string, where: string | undefined): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v < -(2 ** 31) || v > 2 ** 31 - 1) {
      throw new CheckpointError({
        op: 'checkpoint.loadWeights',
        expected: `${dtype} values within int32 range (tfjs has no wider integer)`,
        received: `${data[i]} at element ${i}`,
        where,
        hint: 'read it with readSafetensors, which keeps 64-bit integers as BigInt64Array',
      });
    }
    out[i] = v;
  }
  return out;
}

function asArray<A extends Float32Array | Int32Array | Uint8Array>(
  values: ArrayLike<number> | ArrayLike<string> | ArrayLike<Uint8Array>,
  Kind: { new (length: number): A; from(values: ArrayLike<number>): A },
): A {
  return values instanceof Kind ? values : Kind.from(values as ArrayLike<number>);
}
