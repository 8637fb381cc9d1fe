import { CheckpointError } from '../errors.js';
import { CHECKSUM_METADATA_KEY, dataChecksum } from './data-checksum.js';
import { DTYPE_INFO, SAFETENSORS_DTYPES, assertLittleEndian, isSafetensorsDtype } from './safetensors-dtype.js';
import type {
  SafetensorsArrays,
  SafetensorsContents,
  SafetensorsDtype,
  SafetensorsTensor,
} from './safetensors-dtype.js';

/** Options of {@link decodeSafetensors} and `readSafetensors`. */
export interface DecodeSafetensorsOptions {
  /** Where the bytes came from (a file path), named in error messages. Default: none. */
  source?: string;
  /** Check the data against the `omnitrain.crc32` checksum when the file has one. Default: true. */
  verify?: boolean;
}

/** The reference implementation's limit; a larger "header" means a corrupt or foreign file. */
const MAX_HEADER_BYTES = 100_000_000;
const OP = 'checkpoint.read';
const TRUNCATED = 'the file is truncated (an interrupted write or copy?); restore it from another copy';

/** One tensor's header entry, validated. */
interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

type Fail = (
  expected: string,
  received: string,
  more?: { hint?: string; tensor?: string; cause?: unknown },
) => never;

/**
 * Decodes a safetensors file held in memory. Everything is validated before anything is returned:
 * the header length against the size, the JSON, every dtype, shape and offset (tensors must tile the
 * data section exactly, without gaps or overlaps), BOOL bytes, and the data checksum when present.
 * Any problem throws a {@link CheckpointError} naming `options.source` and what is wrong.
 *
 * Tensors whose offset in `bytes` suits their element size are views of `bytes` (no copy); the
 * others are copied.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes, { source: 'model.safetensors' });
 * tensors['dense/kernel']; // { dtype: 'F32', shape: [2, 3], data: Float32Array(6) }
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsContents {
  assertLittleEndian(OP);
  const fail: Fail = (expected, received, more = {}) => {
    const places = [
      options.source === undefined ? undefined : `file ${options.source}`,
      more.tensor === undefined ? undefined : `tensor ${JSON.stringify(more.tensor)}`,
    ].filter((p) => p !== undefined);
    throw new CheckpointError({
      op: OP,
      expected,
      received,
      where: places.length ? places.join(', ') : undefined,
      hint: more.hint,
      cause: more.cause,
    });
  };

  const headerLength = readHeaderLength(bytes, fail);
  const { entries: listed, metadata } = parseHeader(bytes.subarray(8, 8 + headerLength), fail);
  const data = bytes.subarray(8 + headerLength);
  const entries = inFileOrder(listed, data.byteLength, fail);
  const stored = metadata[CHECKSUM_METADATA_KEY];
  if (stored !== undefined && (options.verify ?? true)) checkChecksum(stored, data, fail);
  for (const e of entries) if (e.dtype === 'BOOL') checkBool(e, data, fail);
  const tensors = Object.fromEntries(entries.map((e) => [e.name, tensorView(e, data)]));
  return { tensors, metadata };
}

function readHeaderLength(bytes: Uint8Array, fail: Fail): number {
  if (bytes.byteLength < 8) {
    fail('at least 8 bytes (the header length)', `${bytes.byteLength} bytes`, { hint: TRUNCATED });
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    fail(`a header length of at most ${MAX_HEADER_BYTES} bytes`, `${n}`, {
      hint: 'this is not a safetensors file, or its first 8 bytes are corrupt',
    });
  }
  const length = Number(n);
  if (8 + length > bytes.byteLength) {
    fail(`a ${length}-byte header after the 8-byte length`, `${bytes.byteLength - 8} bytes`, { hint: TRUNCATED });
  }
  return length;
}

function parseHeader(raw: Uint8Array, fail: Fail): { entries: Entry[]; metadata: Record<string, string> } {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (cause) {
    fail('a UTF-8 JSON header', `an unparsable one (${(cause as Error).message})`, {
      cause,
      hint: 'the header is corrupt, or this is not a safetensors file',
    });
  }
  if (!isObject(header)) fail('a JSON object header', describe(header));
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = checkMetadata(value, fail);
    else entries.push(checkEntry(name, value, fail));
  }
  return { entries, metadata };
}

function checkMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (!isObject(value)) fail('"__metadata__" to be an object of strings', describe(value));
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      fail('string "__metadata__" values', `${describe(v)} for key ${JSON.stringify(key)}`);
    }
  }
  return value as Record<string, string>;
}

function checkEntry(name: string, value: unknown, fail: Fail): Entry {
  const bad: (expected: string, received: string, hint?: string) => never = (expected, received, hint) =>
    fail(expected, received, { tensor: name, hint });
  if (!isObject(value)) bad('an object with dtype, shape and data_offsets', describe(value));
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDtype(dtype)) {
    const hint = 'convert the tensor (e.g. to F32) before saving it';
    bad(`a dtype, one of: ${SAFETENSORS_DTYPES.join(', ')}`, describe(dtype), hint);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) bad('a shape of non-negative integers', describe(shape));
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    bad('data_offsets [begin, end] with 0 <= begin <= end', describe(offsets));
  }
  const [begin, end] = offsets as [number, number];
  const size = shape.reduce((a: number, d: number) => a * d, DTYPE_INFO[dtype].bytes);
  if (!Number.isSafeInteger(size) || size !== end - begin) {
    bad(
      `${size} bytes for ${dtype} [${shape.join(', ')}]`,
      `data_offsets [${begin}, ${end}], ${end - begin} bytes`,
      'the header is corrupt: shape, dtype and offsets disagree',
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * The entries sorted by offset, after checking that they cover the data section exactly, without
 * gaps or overlaps (the header may list them in any order).
 */
function inFileOrder(entries: readonly Entry[], dataLength: number, fail: Fail): Entry[] {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let previous: Entry | undefined;
  for (const e of sorted) {
    const at = previous?.end ?? 0;
    const span = `data_offsets [${e.begin}, ${e.end}]`;
    const more = { tensor: e.name, hint: 'the header is corrupt' };
    if (e.begin < at) {
      const other = `"${previous!.name}" [${previous!.begin}, ${previous!.end}]`;
      fail('tensors that do not overlap', `${span}, overlapping ${other}`, more);
    }
    if (e.begin > at) {
      const after = previous ? `after "${previous.name}"` : 'at the start of the data';
      fail(`contiguous tensors (this one starting at byte ${at})`, `${span}, a gap of ${e.begin - at} bytes ${after}`, more);
    }
    previous = e;
  }
  const end = previous?.end ?? 0;
  const expected = `a data section of ${end} bytes (as the header says)`;
  if (end > dataLength) fail(expected, `${dataLength} bytes`, { hint: TRUNCATED });
  if (end < dataLength) {
    fail(expected, `${dataLength} bytes, the last ${dataLength - end} in no tensor`, {
      hint: 'the file has trailing bytes: it is corrupt or was appended to',
    });
  }
  return sorted;
}

function checkChecksum(stored: string, data: Uint8Array, fail: Fail): void {
  if (!/^[0-9a-f]{8}$/.test(stored)) {
    const hint = 'the header is corrupt';
    fail(`${CHECKSUM_METADATA_KEY} to be 8 lowercase hex digits`, JSON.stringify(stored), { hint });
  }
  const actual = dataChecksum([data]);
  if (actual !== stored) {
    fail(`data with CRC-32 ${stored} (${CHECKSUM_METADATA_KEY})`, `CRC-32 ${actual}`, {
      hint:
        'the tensor data was corrupted after it was written (disk, copy or transfer); ' +
        'restore it from another copy',
    });
  }
}

function checkBool(e: Entry, data: Uint8Array, fail: Fail): void {
  const bytes = data.subarray(e.begin, e.end);
  const i = bytes.findIndex((b) => b > 1);
  if (i >= 0) {
    fail('BOOL bytes of 0 or 1', `${bytes[i]} at element ${i}`, { tensor: e.name, hint: 'the data is corrupt' });
  }
}

/** A view of the tensor's bytes when aligned for its element size, else an aligned copy. */
function tensorView(e: Entry, data: Uint8Array): SafetensorsTensor {
  const { bytes: size, array } = DTYPE_INFO[e.dtype];
  const View = array as unknown as new (b: ArrayBufferLike, at: number, n: number) => SafetensorsArrays[SafetensorsDtype];
  const count = (e.end - e.begin) / size;
  const at = data.byteOffset + e.begin;
  const tensor = (buffer: ArrayBufferLike, offset: number) =>
    ({ dtype: e.dtype, shape: e.shape, data: new View(buffer, offset, count) }) as SafetensorsTensor;
  if (at % size === 0) return tensor(data.buffer, at);
  const copy = new Uint8Array(e.end - e.begin);
  copy.set(data.subarray(e.begin, e.end));
  return tensor(copy.buffer, 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const json = JSON.stringify(v);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
