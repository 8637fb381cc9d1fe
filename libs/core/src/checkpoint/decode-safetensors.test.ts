import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CheckpointError, decodeSafetensors, encodeSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';

/** A file laid out by hand per the spec: u64 LE header length, JSON header (space-padded), data. */
function specFile(header: string, data: Uint8Array = new Uint8Array(0), pad = true): Uint8Array {
  const json = Buffer.from(header, 'utf8');
  const padding = pad ? (8 - (json.byteLength % 8)) % 8 : 0;
  const out = new Uint8Array(8 + json.byteLength + padding + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength + padding), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + json.byteLength + padding);
  out.set(data, 8 + json.byteLength + padding);
  return out;
}

describe('decodeSafetensors', () => {
  it('reads a multi-dtype file laid out by hand, tensors in any header order, unaligned data', () => {
    const i64 = randomFillSync(new BigInt64Array(2));
    const f64 = Math.random() * 1e6 - 5e5;
    const data = new Uint8Array(35);
    const view = new DataView(data.buffer);
    [0x3c00, 0xc000, 0x3800, 0x7bff].forEach((bits, i) => view.setUint16(2 * i, bits, true)); // F16 1, -2, 0.5, 65504
    view.setBigInt64(8, i64[0]!, true);
    view.setBigInt64(16, i64[1]!, true);
    data.set([1, 0, 1], 24);
    view.setFloat64(27, f64, true); // offset 27: not 8-aligned, which the spec allows
    const header =
      '{"d":{"dtype":"F64","shape":[],"data_offsets":[27,35]},' +
      '"b":{"dtype":"I64","shape":[2],"data_offsets":[8,24]},' +
      '"__metadata__":{"format":"pt","note":"hand-made"},' +
      '"a":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},' +
      '"c":{"dtype":"BOOL","shape":[3,1],"data_offsets":[24,27]}}';
    const { tensors, metadata } = decodeSafetensors(specFile(header, data, false));

    expect(metadata).toEqual({ format: 'pt', note: 'hand-made' });
    expect(Object.keys(tensors)).toEqual(['a', 'b', 'c', 'd']); // file order
    expect(tensors['a']).toEqual({ dtype: 'F16', shape: [2, 2], data: new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]) });
    expect(tensors['b']).toEqual({ dtype: 'I64', shape: [2], data: i64 });
    expect(tensors['c']).toEqual({ dtype: 'BOOL', shape: [3, 1], data: new Uint8Array([1, 0, 1]) });
    expect(tensors['d']).toEqual({ dtype: 'F64', shape: [], data: new Float64Array([f64]) });
  });

  it('reads the reference implementation’s published files', () => {
    // huggingface/safetensors bindings/python/tests/test_simple.py (an early, unpadded header):
    // np.zeros((2, 2), int32) with data[1, 1] = 1.
    const python = Buffer.concat([
      Buffer.from('<\x00\x00\x00\x00\x00\x00\x00{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}', 'latin1'),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
    ]);
    expect(decodeSafetensors(python)).toEqual({
      tensors: { test: { dtype: 'I32', shape: [2, 2], data: new Int32Array([0, 0, 0, 1]) } },
      metadata: {},
    });
    // huggingface/safetensors safetensors/src/tensor.rs test_serialization: "attn.0", F32 [1, 2, 3].
    const rust = new Uint8Array([
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58,
      34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116,
      97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
      0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ]);
    expect(decodeSafetensors(rust).tensors).toEqual({
      'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) },
    });
  });

  it('returns views of aligned input and aligned copies of misaligned input', () => {
    const tensors: Record<string, SafetensorsTensor> = {
      w: { dtype: 'F32', shape: [5], data: randomFillSync(new Float32Array(5)) },
      n: { dtype: 'I64', shape: [3], data: randomFillSync(new BigInt64Array(3)) },
    };
    const encoded = encodeSafetensors(tensors);
    const aligned = new Uint8Array(encoded.byteLength);
    aligned.set(encoded);
    const decoded = decodeSafetensors(aligned).tensors;
    expect(decoded['w']!.data.buffer).toBe(aligned.buffer);
    expect(decoded['n']!.data.buffer).toBe(aligned.buffer);

    const shifted = new Uint8Array(encoded.byteLength + 4);
    shifted.set(encoded, 4);
    const copied = decodeSafetensors(shifted.subarray(4)).tensors;
    expect(copied['n']!.data.buffer).not.toBe(shifted.buffer); // a BigInt64Array needs 8-byte alignment
    expect(copied).toEqual(tensors);
  });

  it('rejects a corrupted data byte by its checksum, unless verification is off', () => {
    const w = randomFillSync(new Float32Array(64));
    const file = encodeSafetensors({ w: { dtype: 'F32', shape: [64], data: w } });
    file[file.byteLength - 1 - Math.floor(Math.random() * 256)]! ^= 0x10;
    const decode = () => decodeSafetensors(file, { source: 'w.safetensors' });
    expect(decode).toThrow(CheckpointError);
    expect(decode).toThrow(/^checkpoint\.read: expected data with CRC-32 [0-9a-f]{8} \(omnitrain\.crc32\), got CRC-32 [0-9a-f]{8} \(file w\.safetensors\)\. Hint: the tensor data was corrupted/);
    expect(decodeSafetensors(file, { verify: false }).tensors['w']!.data).not.toEqual(w);
  });

  it('rejects malformed files with a CheckpointError saying what is wrong and where', () => {
    const f32 = (name: string, shape: number[], begin: number, end: number) =>
      `"${name}":{"dtype":"F32","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 60n, true);
    const short = new Uint8Array(20);
    new DataView(short.buffer).setBigUint64(0, 100n, true);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['too short', new Uint8Array([1, 2, 3]), /expected at least 8 bytes \(the header length\), got 3 bytes \(file bad\.st\)\. Hint: the file is truncated/],
      ['huge header length', huge, /expected a header length of at most 100000000 bytes, got 1152921504606846976 \(file bad\.st\)/],
      ['header past the end', short, /expected a 100-byte header after the 8-byte length, got 12 bytes \(file bad\.st\)\. Hint: the file is truncated/],
      ['bad JSON', specFile('{"w":{"dtype":"F32",'), /expected a UTF-8 JSON header, got an unparsable one \(.*JSON.*\) \(file bad\.st\)/],
      ['bad UTF-8', specFile('{}').fill(0xff, 10, 12), /expected a UTF-8 JSON header, got an unparsable one/],
      ['array header', specFile('[1,2]'), /expected a JSON object header, got \[1,2\]/],
      ['entry not an object', specFile('{"w":5}'), /expected an object with dtype, shape and data_offsets, got 5 \(file bad\.st, tensor "w"\)/],
      ['unknown dtype', specFile('{"w":{"dtype":"F8_E8M0","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)),
        /expected a dtype, one of: BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, got "F8_E8M0" \(file bad\.st, tensor "w"\)/],
      ['bad shape', specFile(`{${f32('w', [1.5], 0, 4)}}`, new Uint8Array(4)), /expected a shape of non-negative integers, got \[1\.5\]/],
      ['reversed offsets', specFile(`{${f32('w', [1], 8, 4)}}`, new Uint8Array(8)), /expected data_offsets \[begin, end\] with 0 <= begin <= end, got \[8,4\]/],
      ['shape vs bytes', specFile(`{${f32('w', [3], 0, 8)}}`, new Uint8Array(8)), /expected 12 bytes for F32 \[3\], got data_offsets \[0, 8\], 8 bytes \(file bad\.st, tensor "w"\)/],
      ['overflowing shape', specFile(`{${f32('w', [2 ** 40, 2 ** 40], 0, 8)}}`, new Uint8Array(8)), /tensor "w"\)\. Hint: the header is corrupt: shape, dtype and offsets disagree/],
      ['overlap', specFile(`{${f32('a', [2], 0, 8)},${f32('b', [2], 4, 12)}}`, new Uint8Array(12)),
        /expected tensors that do not overlap, got data_offsets \[4, 12\], overlapping "a" \[0, 8\] \(file bad\.st, tensor "b"\)/],
      ['gap', specFile(`{${f32('a', [1], 0, 4)},${f32('b', [1], 8, 12)}}`, new Uint8Array(12)),
        /expected contiguous tensors \(this one starting at byte 4\), got data_offsets \[8, 12\], a gap of 4 bytes after "a" \(file bad\.st, tensor "b"\)/],
      ['gap at the start', specFile(`{${f32('a', [1], 4, 8)}}`, new Uint8Array(8)), /a gap of 4 bytes at the start of the data/],
      ['data too short', specFile(`{${f32('a', [4], 0, 16)}}`, new Uint8Array(10)),
        /expected a data section of 16 bytes \(as the header says\), got 10 bytes \(file bad\.st\)\. Hint: the file is truncated/],
      ['trailing bytes', specFile(`{${f32('a', [1], 0, 4)}}`, new Uint8Array(6)), /got 6 bytes, the last 2 in no tensor/],
      ['non-string metadata', specFile('{"__metadata__":{"step":3}}'), /expected string "__metadata__" values, got 3 for key "step"/],
      ['bad BOOL byte', specFile('{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}', new Uint8Array([1, 2, 0])),
        /expected BOOL bytes of 0 or 1, got 2 at element 1 \(file bad\.st, tensor "m"\)/],
      ['bad checksum field', specFile('{"__metadata__":{"omnitrain.crc32":"xyz"}}'), /expected omnitrain\.crc32 to be 8 lowercase hex digits, got "xyz"/],
    ];
    for (const [what, file, message] of cases) {
      let caught: unknown;
      try {
        decodeSafetensors(file, { source: 'bad.st' });
      } catch (error) {
        caught = error;
      }
      expect(caught, what).toBeInstanceOf(CheckpointError);
      expect((caught as Error).message, what).toMatch(/^checkpoint\.read: expected /);
      expect((caught as Error).message, what).toMatch(message);
    }
  });
});
