// colorJitter copies once and adjusts in place; the oracle is the public adjust* functions chained
// (each returns a new image) in one of the orders a jitter may draw.
import { describe, expect, it } from 'vitest';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, colorJitter } from '@omnitrain/image';
import type { FloatImage } from '@omnitrain/image';
import { randomImage, seeded } from '../../test-fixtures/images.js';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('colorJitter in place', () => {
  it('equals chaining adjustBrightness, adjustContrast, adjustSaturation and adjustHue in some order, exactly', () => {
    for (const channels of [3, 4] as const) {
      const img = randomImage([5 + Math.floor(Math.random() * 8), 5 + Math.floor(Math.random() * 8), channels]);
      const b = 0.5 + Math.random();
      const c = 0.5 + Math.random();
      const s = 0.5 + Math.random();
      const h = -60 + 120 * Math.random();
      // Fixed ranges [f, f] make every drawn factor exactly f; only the order is random.
      const jitter = colorJitter({ brightness: [b, b], contrast: [c, c], saturation: [s, s], hue: [h, h] });
      const out = jitter.apply(img, seeded(Math.floor(Math.random() * 1e9)));
      const steps: Array<(x: FloatImage) => FloatImage> = [
        (x) => adjustBrightness(x, b),
        (x) => adjustContrast(x, c),
        (x) => adjustSaturation(x, s),
        (x) => adjustHue(x, h),
      ];
      const candidates = permutations(steps).map((order) => order.reduce((x, step) => step(x), img).data);
      expect(candidates.some((data) => data.every((v, i) => v === out.data[i]))).toBe(true);
      expect(out.data).not.toBe(img.data); // the input is left alone
    }
  });

  it('leaves its input untouched', () => {
    const img = randomImage([9, 7, 3]);
    const before = img.data.slice();
    colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 40 }).apply(img, seeded(3));
    expect(img.data).toEqual(before);
  });
});
