import { describe, expect, it } from 'vitest';
import { Float16Codec, fromFloat16, toFloat16 } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

/** Equal bits, or both NaN (the codec keeps NaN, not its payload). */
function expectSameFloats(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < got.length; i++) {
    if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) expect([i, g[i]!.toString(16)]).toEqual([i, w[i]!.toString(16)]);
  }
}

const isNanHalf = (h: number): boolean => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

describe('Float16Codec', () => {
  it('encodes every kind of float32 to the same half bits as toFloat16 (ties, subnormals, overflow, NaN), any length and slice size', () => {
    const codec = new Float16Codec(16 + rand(3000));
    for (let trial = 0; trial < 6; trial++) {
      const n = trial === 0 ? rand(300) : 300 + rand(20_000);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const kind = rand(4);
        if (kind === 0) bits[i] = (Math.random() * 2 ** 32) >>> 0; // any pattern: NaNs, infinities, huge, tiny
        else if (kind === 1) {
          // A tie or its neighbours: a half's float32 bits plus half a half-ulp (normal range), +-1.
          const e = 113 + rand(30);
          bits[i] = ((rand(2) << 31) | (e << 23) | (rand(1024) << 13) | 0x1000) + rand(3) - 1;
        } else if (kind === 2) bits[i] = (rand(2) << 31) | ((102 + rand(12)) << 23) | rand(1 << 23); // half subnormal range
        else bits[i] = (rand(2) << 31) | ((140 + rand(4)) << 23) | rand(1 << 23); // around 65504 .. 2^17
      }
      const src = new Float32Array(bits.buffer);
      const want = toFloat16(src);
      const got = codec.encode(src);
      for (let i = 0; i < n; i++) {
        if (got[i] !== want[i] && !(isNanHalf(got[i]!) && isNanHalf(want[i]!))) expect([i, src[i], got[i]]).toEqual([i, src[i], want[i]]);
      }
      // Into a caller's array (the ring's send buffers), the same bits.
      const into = new Uint16Array(n);
      expect(codec.encode(src, into)).toBe(into);
      expect(Buffer.from(into.buffer).equals(Buffer.from(got.buffer))).toBe(true);
    }
  });

  it('decodes all 65536 half patterns to the values fromFloat16 gives, exactly, in and out of place', () => {
    const codec = new Float16Codec(16 + rand(5000));
    const all = Uint16Array.from({ length: 65_536 }, (_, h) => h);
    // A random rotation, so slices and the 8-wide loop's tail cut the patterns at random places.
    const shift = rand(65_536);
    const halves = Uint16Array.from(all, (_, i) => all[(i + shift) % 65_536]!);
    expectSameFloats(codec.decode(halves), fromFloat16(halves));
    const tail = halves.subarray(0, 300 + rand(1000));
    const dst = new Float32Array(tail.length);
    expect(codec.decode(tail, dst)).toBe(dst);
    expectSameFloats(dst, fromFloat16(tail));
    // Round trip: a half decodes to a float32 that encodes back to the same half (NaN stays NaN).
    const again = codec.encode(codec.decode(halves));
    for (let i = 0; i < halves.length; i++) {
      if (isNanHalf(halves[i]!)) expect(isNanHalf(again[i]!)).toBe(true);
      else if (again[i] !== halves[i]) expect([i, again[i]]).toEqual([i, halves[i]]);
    }
  });
});
