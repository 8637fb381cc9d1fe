import { endianness } from 'node:os';
import { CheckpointError } from '../errors.js';

/**
 * The typed array that holds each safetensors dtype in memory. Formats JavaScript has no array for
 * (F16, BF16, F8_*) are kept as their raw bits; tfjs helpers widen them to float32 on load.
 */
export interface SafetensorsArrays {
  BOOL: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  F8_E5M2: Uint8Array;
  F8_E4M3: Uint8Array;
  I16: Int16Array;
  U16: Uint16Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I32: Int32Array;
  U32: Uint32Array;
  F32: Float32Array;
  F64: Float64Array;
  I64: BigInt64Array;
  U64: BigUint64Array;
}

/** A dtype name as written in a safetensors header (`"F32"`, `"I64"`, ...). */
export type SafetensorsDtype = keyof SafetensorsArrays;

/**
 * One tensor as stored in a safetensors file: dtype, row-major shape and the elements.
 *
 * @example
 * const t: SafetensorsTensor = { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) };
 */
export type SafetensorsTensor<D extends SafetensorsDtype = SafetensorsDtype> = {
  [K in D]: {
    /** The element type. */
    dtype: K;
    /** Row-major dimensions; `[]` is a scalar. */
    shape: readonly number[];
    /** The elements, `shape.reduce((a, b) => a * b, 1)` of them. */
    data: SafetensorsArrays[K];
  };
}[D];

/** What a safetensors file holds: named tensors and string metadata (`__metadata__`). */
export interface SafetensorsContents {
  /** Tensors by name, in file (offset) order, except that JavaScript lists integer-like names first. */
  tensors: Record<string, SafetensorsTensor>;
  /** The header's `__metadata__` map (empty when the file has none). */
  metadata: Record<string, string>;
}

type ArrayConstructorOf<D extends SafetensorsDtype> = {
  new (length: number): SafetensorsArrays[D];
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): SafetensorsArrays[D];
  readonly name: string;
};

/** Bytes per element and in-memory array of every dtype, in the reference's dtype order. */
export const DTYPE_INFO: {
  readonly [D in SafetensorsDtype]: { readonly bytes: 1 | 2 | 4 | 8; readonly array: ArrayConstructorOf<D> };
} = {
  BOOL: { bytes: 1, array: Uint8Array },
  U8: { bytes: 1, array: Uint8Array },
  I8: { bytes: 1, array: Int8Array },
  F8_E5M2: { bytes: 1, array: Uint8Array },
  F8_E4M3: { bytes: 1, array: Uint8Array },
  I16: { bytes: 2, array: Int16Array },
  U16: { bytes: 2, array: Uint16Array },
  F16: { bytes: 2, array: Uint16Array },
  BF16: { bytes: 2, array: Uint16Array },
  I32: { bytes: 4, array: Int32Array },
  U32: { bytes: 4, array: Uint32Array },
  F32: { bytes: 4, array: Float32Array },
  F64: { bytes: 8, array: Float64Array },
  I64: { bytes: 8, array: BigInt64Array },
  U64: { bytes: 8, array: BigUint64Array },
};

/**
 * Every dtype this library reads and writes, in increasing alignment: the order of the reference
 * implementation's `Dtype` enum, which writers use (descending) to lay tensors out aligned.
 */
export const SAFETENSORS_DTYPES = Object.keys(DTYPE_INFO) as readonly SafetensorsDtype[];

/** Whether `name` is a dtype of {@link SAFETENSORS_DTYPES}. */
export function isSafetensorsDtype(name: unknown): name is SafetensorsDtype {
  return typeof name === 'string' && Object.hasOwn(DTYPE_INFO, name);
}

/** The bytes of a typed array, without copying. */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Safetensors data is little-endian and this library reads and writes typed arrays as they lie in
 * memory, so it refuses to run on a big-endian host rather than silently swap every number.
 */
export function assertLittleEndian(op: string): void {
  if (endianness() !== 'LE') {
    throw new CheckpointError({
      op,
      expected: 'a little-endian host',
      received: 'a big-endian one',
      hint: 'safetensors stores little-endian data; byte swapping is not implemented',
    });
  }
}
