import { randomFillSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHECKSUM_METADATA_KEY,
  CheckpointError,
  SAFETENSORS_DTYPES,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
} from '@omnitrain/core';
import type { SafetensorsDtype, SafetensorsTensor } from '@omnitrain/core';

/** The spec's in-memory array per dtype, written out independently of the implementation's table. */
const ARRAYS = {
  BOOL: Uint8Array,
  U8: Uint8Array,
  I8: Int8Array,
  F8_E5M2: Uint8Array,
  F8_E4M3: Uint8Array,
  I16: Int16Array,
  U16: Uint16Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I32: Int32Array,
  U32: Uint32Array,
  F32: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
} as const;

/** A tensor of `dtype` filled with random bits (random 0/1 for BOOL). */
function randomTensor(dtype: SafetensorsDtype, shape: number[]): SafetensorsTensor {
  const data = randomFillSync(new ARRAYS[dtype](shape.reduce((a, b) => a * b, 1)));
  if (dtype === 'BOOL') (data as Uint8Array).forEach((b, i, a) => (a[i] = b & 1));
  return { dtype, shape, data } as SafetensorsTensor;
}

/** One random tensor of every dtype, with assorted shapes: scalar, empty, odd sizes. */
function everyDtype(): Record<string, SafetensorsTensor> {
  const shapes = [[], [3], [2, 5], [3, 1, 7], [0, 4]];
  return Object.fromEntries(
    SAFETENSORS_DTYPES.map((dtype, i) => [`t${i}.${dtype.toLowerCase()}`, randomTensor(dtype, shapes[i % shapes.length]!)]),
  );
}

function bytes(t: SafetensorsTensor): Buffer {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function expectSameTensors(actual: Record<string, SafetensorsTensor>, expected: Record<string, SafetensorsTensor>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, t] of Object.entries(expected)) {
    const got = actual[name]!;
    expect({ name, dtype: got.dtype, shape: got.shape }).toEqual({ name, dtype: t.dtype, shape: t.shape });
    expect(Object.prototype.toString.call(got.data)).toBe(Object.prototype.toString.call(t.data));
    expect(bytes(got).equals(bytes(t)), name).toBe(true);
  }
}

/** The header length and header text of an encoded file. */
function headerOf(file: Uint8Array): { length: number; text: string } {
  const length = Number(Buffer.from(file).readBigUInt64LE(0));
  return { length, text: Buffer.from(file.subarray(8, 8 + length)).toString('utf8') };
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('encodeSafetensors', () => {
  it('round-trips random tensors of every dtype with metadata, in memory and through a file', async () => {
    const tensors = everyDtype();
    const metadata = { step: String(Math.floor(Math.random() * 1e6)), 'config.json': '{"lr":0.001}', 'ünïcode': 'λ → ∞' };
    const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expectSameTensors(decoded.tensors, tensors);
    expect(decoded.metadata).toMatchObject(metadata);

    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-encode-'));
    dirs.push(dir);
    const path = join(dir, 'all.safetensors');
    const size = await writeSafetensors(path, tensors, metadata);
    const file = await readFile(path);
    expect(size).toBe(file.byteLength);
    expect(file.equals(Buffer.from(encodeSafetensors(tensors, metadata)))).toBe(true);
    const read = await readSafetensors(path);
    expectSameTensors(read.tensors, tensors);
    expect(read.metadata).toEqual(decoded.metadata);
  });

  it('pads the header to 8 bytes and aligns every tensor to its element size', () => {
    for (let trial = 0; trial < 20; trial++) {
      const tensors: Record<string, SafetensorsTensor> = {};
      for (let i = 0; i < 6; i++) {
        const dtype = SAFETENSORS_DTYPES[Math.floor(Math.random() * SAFETENSORS_DTYPES.length)]!;
        const name = Math.random().toString(36).slice(2, 2 + 1 + Math.floor(Math.random() * 9));
        tensors[name] = randomTensor(dtype, [1 + Math.floor(Math.random() * 9)]);
      }
      const file = encodeSafetensors(tensors, { note: 'x'.repeat(Math.floor(Math.random() * 16)) });
      const { length, text } = headerOf(file);
      expect(length % 8).toBe(0);
      expect(text).toBe(text.trimEnd() + ' '.repeat(length - Buffer.byteLength(text.trimEnd())));
      const header = JSON.parse(text) as Record<string, { dtype: SafetensorsDtype; data_offsets: [number, number] }>;
      for (const [name, info] of Object.entries(header)) {
        if (name === '__metadata__') continue;
        expect((8 + length + info.data_offsets[0]) % ARRAYS[info.dtype].BYTES_PER_ELEMENT).toBe(0);
      }
    }
  });

  it('writes exactly the reference implementation’s bytes when the checksum is off', () => {
    // Published test vectors of huggingface/safetensors (safetensors/src/tensor.rs:
    // test_serialization_forced_alignement, test_empty).
    const data = new Float32Array([0, 1, 2, 3, 4, 5]);
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    const expected = Buffer.concat([
      Buffer.from([72, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from(header + ' '.repeat(7)),
      Buffer.from([0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]),
    ]);
    const out = encodeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data } }, {}, { checksum: false });
    expect(Buffer.from(out).equals(expected)).toBe(true);

    expect([...encodeSafetensors({}, {}, { checksum: false })]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    expect([...encodeSafetensors({}, { framework: 'pt' }, { checksum: false })]).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102,
      114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
    ]);
  });

  it('lays tensors out in the reference order (descending dtype, then name) and stores the CRC-32', () => {
    const tensors = {
      b: randomTensor('U8', [3]),
      a: randomTensor('U8', [2]),
      '10': randomTensor('F16', [1]),
      z: randomTensor('I64', [2]),
    };
    const file = encodeSafetensors(tensors, { zeta: '1', alpha: '2' });
    const { text } = headerOf(file);
    const data = Buffer.concat([bytes(tensors.z), bytes(tensors['10']), bytes(tensors.a), bytes(tensors.b)]);
    const crc = data.reduce((c, byte) => {
      // Bitwise CRC-32 (IEEE, reflected), the independent oracle for zlib's.
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      return c >>> 0;
    }, 0xffffffff);
    const expectedCrc = ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
    expect(text.trimEnd()).toBe(
      `{"__metadata__":{"alpha":"2","${CHECKSUM_METADATA_KEY}":"${expectedCrc}","zeta":"1"},` +
        '"z":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},' +
        '"10":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},' +
        '"a":{"dtype":"U8","shape":[2],"data_offsets":[18,20]},' +
        '"b":{"dtype":"U8","shape":[3],"data_offsets":[20,23]}}',
    );
    expect(Buffer.from(file.subarray(file.byteLength - data.byteLength)).equals(data)).toBe(true);
  });

  it('drops a caller’s value for the reserved checksum key', () => {
    const t = { w: randomTensor('F32', [4]) };
    const decoded = decodeSafetensors(encodeSafetensors(t, { [CHECKSUM_METADATA_KEY]: '00000000', step: '3' }));
    expect(decoded.metadata['step']).toBe('3');
    expect(decoded.metadata[CHECKSUM_METADATA_KEY]).not.toBe('00000000');
    const plain = decodeSafetensors(encodeSafetensors(t, { [CHECKSUM_METADATA_KEY]: '00000000' }, { checksum: false }));
    expect(plain.metadata).toEqual({});
  });

  it('rejects invalid tensors and metadata, naming the tensor', () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, RegExp]> = [
      [{ w: { dtype: 'F32', shape: [2], data: new Float64Array(2) } }, {}, /expected a Float32Array for dtype F32, got Float64Array \(tensor "w"\)/],
      [{ w: { dtype: 'F32', shape: [2, 3], data: new Float32Array(5) } }, {}, /expected 6 elements for shape \[2, 3\], got 5 elements \(tensor "w"\)/],
      [{ w: { dtype: 'F32', shape: [-1], data: new Float32Array(1) } }, {}, /expected a shape of non-negative integers, got \[-1\]/],
      [{ w: { dtype: 'Q4', shape: [1], data: new Uint8Array(1) } }, {}, /expected a dtype, one of: BOOL, U8, .*, U64, got "Q4" \(tensor "w"\)/],
      [{ __metadata__: { dtype: 'U8', shape: [1], data: new Uint8Array(1) } }, {}, /other than "__metadata__"/],
      [{}, { step: 3 }, /expected string metadata values, got number for key "step"/],
    ];
    for (const [tensors, metadata, message] of cases) {
      const encode = () =>
        encodeSafetensors(tensors as Record<string, SafetensorsTensor>, metadata as Record<string, string>);
      expect(encode).toThrow(CheckpointError);
      expect(encode).toThrow(message);
    }
  });
});
