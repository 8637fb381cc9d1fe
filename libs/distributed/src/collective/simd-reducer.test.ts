import { describe, expect, it } from 'vitest';
import { SimdReducer, reduceInto } from '@omnitrain/distributed';

const rand = (k: number): number => Math.floor(Math.random() * k);

describe('SimdReducer', () => {
  it('gives the same bits as the JavaScript reduceInto for every op, size, offset and slice size', () => {
    const reducer = new SimdReducer(16 + rand(5000));
    for (let trial = 0; trial < 12; trial++) {
      const n = rand(3) === 0 ? rand(1100) : 1000 + rand(40_000);
      const offset = rand(37);
      const op = (['sum', 'mean', 'max', 'min'] as const)[trial % 4]!;
      const dst = Float32Array.from({ length: offset + n + rand(9) }, () => (Math.random() * 2 - 1) * 10 ** rand(6));
      const src = Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * 10 ** rand(6));
      if (n > 10) {
        dst[offset + rand(n)] = Number.NaN; // NaN handling must match too
        src[rand(n)] = Number.NaN;
      }
      const want = dst.slice();
      reduceInto(want, offset, src, op);
      reducer.reduce(dst, offset, src, op);
      expect(Buffer.from(dst.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    }
  });
});
