import { describe, expect, it } from 'vitest';
import { widenToFloat32 } from '@omnitrain/core';

// Reference values: IEEE 754 binary16 (F16); bfloat16 = the top half of a float32; the OCP 8-bit
// floating point spec (E5M2: max 57344, min subnormal 2^-16; E4M3 "fn": max 448, min subnormal 2^-9,
// NaN only at S.1111.111, no infinities).
describe('widenToFloat32', () => {
  it('decodes F16 bit patterns', () => {
    const cases: Array<[number, number]> = [
      [0x3c00, 1], [0xc000, -2], [0x3800, 0.5], [0x3555, 0.333251953125], [0x7bff, 65504],
      [0x0400, 2 ** -14], [0x03ff, 2 ** -14 - 2 ** -24], [0x0001, 2 ** -24], [0x0000, 0], [0x8000, -0],
      [0x7c00, Infinity], [0xfc00, -Infinity],
    ];
    const out = widenToFloat32('F16', new Uint16Array(cases.map(([bits]) => bits)));
    expect([...out]).toEqual(cases.map(([, value]) => value));
    expect(Number.isNaN(widenToFloat32('F16', new Uint16Array([0x7e00]))[0])).toBe(true);
  });

  it('decodes BF16 as the top half of a float32, for random values', () => {
    const values = Float32Array.from({ length: 1000 }, () => (Math.random() - 0.5) * 10 ** (Math.random() * 60 - 30));
    const words = new Uint32Array(values.buffer);
    const bits = Uint16Array.from(words, (w) => w >>> 16);
    const truncated = Float32Array.from(words, (w) => new Float32Array(new Uint32Array([w & 0xffff0000]).buffer)[0]!);
    expect(widenToFloat32('BF16', bits)).toEqual(truncated);
    expect([...widenToFloat32('BF16', new Uint16Array([0x3f80, 0xc040, 0x7f80, 0x0001]))]).toEqual([1, -3, Infinity, 2 ** -133]);
  });

  it('decodes F8_E5M2 and F8_E4M3 bit patterns', () => {
    const e5m2 = widenToFloat32('F8_E5M2', new Uint8Array([0x3c, 0xc0, 0x7b, 0x04, 0x01, 0x7c, 0xfc]));
    expect([...e5m2]).toEqual([1, -2, 57344, 2 ** -14, 2 ** -16, Infinity, -Infinity]);
    expect(Number.isNaN(widenToFloat32('F8_E5M2', new Uint8Array([0x7d]))[0])).toBe(true);

    const e4m3 = widenToFloat32('F8_E4M3', new Uint8Array([0x38, 0xc0, 0x7e, 0x78, 0x08, 0x01, 0x80, 0x7f, 0xff]));
    expect([...e4m3.subarray(0, 7)]).toEqual([1, -2, 448, 256, 2 ** -6, 2 ** -9, -0]);
    expect([...e4m3.subarray(7)].every(Number.isNaN)).toBe(true);
  });
});
