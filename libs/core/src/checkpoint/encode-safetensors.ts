import { CheckpointError } from '../errors.js';
import { CHECKSUM_METADATA_KEY, dataChecksum } from './data-checksum.js';
import {
  DTYPE_INFO,
  SAFETENSORS_DTYPES,
  assertLittleEndian,
  bytesOf,
  isSafetensorsDtype,
} from './safetensors-dtype.js';
import type { SafetensorsTensor } from './safetensors-dtype.js';

/** Options of {@link encodeSafetensors} and `writeSafetensors`. */
export interface EncodeSafetensorsOptions {
  /**
   * Store the CRC-32 of the data section in `__metadata__` under `omnitrain.crc32`, so readers can
   * detect corrupted bytes. Turn it off only to get output byte-identical to the reference
   * (Python/Rust) implementation. Default: true.
   */
  checksum?: boolean;
}

/** A safetensors file ready to be written: its header and its tensors' bytes, in file order. */
export interface SafetensorsLayout {
  /** The 8-byte little-endian header length, then the JSON header padded with spaces to 8 bytes. */
  header: Uint8Array;
  /** Each tensor's bytes, in file order: views of the callers' arrays, not copies. */
  parts: Uint8Array[];
  /** The whole file's size in bytes. */
  byteLength: number;
}

const OP = 'checkpoint.encode';

/**
 * Validates `tensors` and `metadata` and lays them out as the reference implementation does:
 * tensors sorted by descending dtype alignment, then by name, so that every tensor starts at an
 * offset that is a multiple of its element size; header padded with spaces to a multiple of 8 bytes.
 * The metadata key `omnitrain.crc32` is reserved: a caller's value for it is dropped.
 *
 * @param where Names the destination in error messages (`file ckpt/last.safetensors`).
 */
export function layoutSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Readonly<Record<string, string>> = {},
  options: EncodeSafetensorsOptions = {},
  where?: string,
): SafetensorsLayout {
  assertLittleEndian(OP);
  const rank = (t: SafetensorsTensor) => SAFETENSORS_DTYPES.indexOf(t.dtype);
  const named = Object.entries(tensors).map(([name, t]) => checkTensor(name, t, where));
  named.sort(([an, a], [bn, b]) => rank(b) - rank(a) || (an < bn ? -1 : an > bn ? 1 : 0));

  const parts: Uint8Array[] = [];
  const entries: Array<[string, string]> = [];
  let offset = 0;
  for (const [name, t] of named) {
    const bytes = bytesOf(t.data);
    const info = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    entries.push([name, JSON.stringify(info)]);
    parts.push(bytes);
    offset += bytes.byteLength;
  }

  const meta = checkMetadata(metadata, where);
  if (options.checksum ?? true) meta.push([CHECKSUM_METADATA_KEY, dataChecksum(parts)]);
  meta.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (meta.length > 0) {
    entries.unshift(['__metadata__', jsonObject(meta.map(([k, v]) => [k, JSON.stringify(v)]))]);
  }

  const json = Buffer.from(jsonObject(entries), 'utf8');
  const padded = json.byteLength + ((8 - (json.byteLength % 8)) % 8);
  const header = Buffer.alloc(8 + padded, 0x20);
  header.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(header, 8);
  return { header, parts, byteLength: header.byteLength + offset };
}

/**
 * Encodes tensors and string metadata as one safetensors file in memory (see `writeSafetensors`
 * to write one to disk without holding a second copy of the data).
 *
 * @param tensors Tensors by name; names may be any string except `__metadata__`.
 * @param metadata String metadata, stored in the header's `__metadata__`. Default: none.
 * @param options Default: a CRC-32 of the data is stored under `omnitrain.crc32`.
 * @returns The file's bytes.
 *
 * @example
 * const bytes = encodeSafetensors(
 *   { 'dense/kernel': { dtype: 'F32', shape: [2, 3], data: new Float32Array(6).fill(0.5) } },
 *   { step: '1200' },
 * );
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Readonly<Record<string, string>> = {},
  options: EncodeSafetensorsOptions = {},
): Uint8Array {
  const { header, parts, byteLength } = layoutSafetensors(tensors, metadata, options);
  const out = Buffer.allocUnsafe(byteLength);
  out.set(header, 0);
  let at = header.byteLength;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** A JSON object from keys and already-serialized values, in the given order (integer-like keys too). */
function jsonObject(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

function checkTensor(
  name: string,
  t: SafetensorsTensor,
  where: string | undefined,
): [string, SafetensorsTensor] {
  const fail = (expected: string, received: string, hint?: string): never => {
    const place = `tensor ${JSON.stringify(name)}`;
    throw new CheckpointError({ op: OP, expected, received, where: where ? `${where}, ${place}` : place, hint });
  };
  if (name === '__metadata__') {
    fail('a tensor name other than "__metadata__"', '"__metadata__"', 'the header reserves it for metadata');
  }
  const dtype: unknown = t?.dtype;
  if (!isSafetensorsDtype(dtype)) fail(`a dtype, one of: ${SAFETENSORS_DTYPES.join(', ')}`, JSON.stringify(dtype));
  const arrayName = DTYPE_INFO[t.dtype].array.name;
  const received = Object.prototype.toString.call(t.data).slice(8, -1);
  if (!ArrayBuffer.isView(t.data) || received !== arrayName) {
    fail(`a ${arrayName} for dtype ${t.dtype}`, received, 'F16, BF16 and F8 tensors hold their raw bits');
  }
  const shape = t.shape as unknown;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail('a shape of non-negative integers', JSON.stringify(shape));
  }
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) {
    fail(`${count} elements for shape [${t.shape.join(', ')}]`, `${t.data.length} elements`);
  }
  return [name, t];
}

function checkMetadata(
  metadata: Readonly<Record<string, string>>,
  where: string | undefined,
): Array<[string, string]> {
  const entries = Object.entries(metadata).filter(([k]) => k !== CHECKSUM_METADATA_KEY);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      throw new CheckpointError({
        op: OP,
        expected: 'string metadata values',
        received: `${typeof value} for key ${JSON.stringify(key)}`,
        where,
        hint: 'safetensors metadata maps strings to strings; JSON.stringify structured values',
      });
    }
  }
  return entries;
}
