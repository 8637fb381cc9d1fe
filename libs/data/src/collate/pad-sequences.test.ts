import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { padSequences } from '@omnitrain/data';
import type { PadOptions } from '@omnitrain/data';

const rand = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

describe('padSequences', () => {
  it('keeps exactly the steps the truncation rule names, pads the rest and masks them', () => {
    for (let trial = 0; trial < 300; trial++) {
      const f = 1 + rand(4);
      const ints = Math.random() < 0.5;
      const seqs = Array.from({ length: rand(6) }, () => {
        const values = Array.from({ length: rand(9) * f }, () => (ints ? 1 + rand(1000) : Math.random() * 2 - 1));
        return ints ? Int32Array.from(values) : Float32Array.from(values);
      });
      const options: PadOptions = {
        length: Math.random() < 0.5 ? 'longest' : rand(10),
        maxLength: Math.random() < 0.3 ? rand(6) : undefined,
        truncate: pick(['end', 'start'] as const),
        padSide: pick(['end', 'start'] as const),
        padValue: pick([0, -1, 7.5]),
        featureSize: f,
      };
      const out = padSequences(seqs, options);
      const longest = Math.max(0, ...seqs.map((s) => s.length / f));
      const T = options.length === 'longest' ? Math.min(longest, options.maxLength ?? Infinity) : options.length!;
      expect(out.shape).toEqual([seqs.length, T, f]);
      expect(out.data).toBeInstanceOf(ints && seqs.length > 0 ? Int32Array : Float32Array);
      seqs.forEach((seq, b) => {
        const n = seq.length / f;
        const keep = Math.min(n, T);
        const kept = options.truncate === 'start' ? seq.slice((n - keep) * f) : seq.slice(0, keep * f);
        const padded = Array.from({ length: (T - keep) * f }, () => (ints && options.padValue === 7.5 ? 7 : options.padValue));
        const row = Array.from(out.data.slice(b * T * f, (b + 1) * T * f));
        const expectedRow = options.padSide === 'start' ? [...padded, ...kept] : [...kept, ...padded];
        expect(row).toEqual(expectedRow.map((v) => (ints ? v : Math.fround(v!))));
        const maskRow = Array.from(out.mask.slice(b * T, (b + 1) * T));
        const ones = Array<number>(keep).fill(1);
        const zeros = Array<number>(T - keep).fill(0);
        expect(maskRow).toEqual(options.padSide === 'start' ? [...zeros, ...ones] : [...ones, ...zeros]);
        expect([out.lengths[b], out.truncated[b]]).toEqual([keep, n - keep]);
      });
    }
  });

  it('pads token ids as in the example and names the sample when truncation is an error', () => {
    const b = padSequences([Int32Array.of(5, 6, 7), Int32Array.of(8)]);
    expect([...b.data]).toEqual([5, 6, 7, 8, 0, 0]);
    expect([...b.mask]).toEqual([1, 1, 1, 1, 0, 0]);
    expect(padSequences([[1, 2]], { dtype: 'int32' }).data).toBeInstanceOf(Int32Array);
    expect(() => padSequences([[1, 2, 3]], { length: 2, truncate: 'error', ids: ['clip-7'] })).toThrow(
      'data.padSequences: expected at most 2 steps, got 3 steps (sample clip-7)',
    );
    expect(() => padSequences([[1, 2, 3]], { featureSize: 2 })).toThrow(DataError);
    expect(() => padSequences([[1]], { length: -1 })).toThrow(ConfigError);
    expect(() => padSequences([[1]], { maxLength: 1.5 })).toThrow(ConfigError);
  });
});
