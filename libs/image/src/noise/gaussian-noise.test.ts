import { describe, expect, it } from 'vitest';
import { cutout, gaussianNoise } from '@omnitrain/image';
import { maxAbsDiff, randomImage, seeded } from '../../test-fixtures/images.js';

const stats = (values: ArrayLike<number>) => {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
};

describe('gaussianNoise', () => {
  it('adds noise with the asked mean and std (unclipped), to colour channels only', () => {
    const img = randomImage([64, 64, 4]);
    const std = 0.05 + 0.1 * Math.random();
    const out = gaussianNoise({ std, mean: 0.02, clip: false }).apply(img, seeded(Math.floor(Math.random() * 1e9)));
    const diff = Float64Array.from(out.data, (v, i) => v - img.data[i]!).filter((_, i) => i % 4 !== 3);
    const s = stats(diff);
    // n = 12288, bands of > 6 standard errors (a fresh draw misses one about once in 10^9 runs): the
    // sample mean within 6 SE = 6 std / sqrt(n) (a mean of 0 would be >= 14 SE off), the sample std
    // within 4% (SE 0.64%), the excess kurtosis within 0.3 (SE sqrt(24 / n) = 0.044).
    expect(Math.abs(s.mean - 0.02)).toBeLessThan((6 * std) / Math.sqrt(diff.length));
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.04);
    const excessKurtosis = diff.reduce((a, d) => a + ((d - s.mean) / s.std) ** 4, 0) / diff.length - 3;
    expect(Math.abs(excessKurtosis)).toBeLessThan(0.3); // Gaussian, not uniform (-1.2)
    expect(out.data.filter((_, i) => i % 4 === 3)).toEqual(img.data.filter((_, i) => i % 4 === 3));
  });

  it('clips to [0, 1] by default, and is seeded', () => {
    const img = randomImage([16, 16, 3]);
    const t = gaussianNoise({ std: 0.5 });
    const out = t.apply(img, seeded(3));
    expect(Math.min(...out.data)).toBe(0);
    expect(Math.max(...out.data)).toBe(1);
    expect(t.apply(img, seeded(3)).data).toEqual(out.data);
    expect(maxAbsDiff(t.apply(img, seeded(4)).data, out.data)).toBeGreaterThan(0);
  });
});

describe('cutout', () => {
  it('erases exactly height x width pixels in every channel and leaves the rest', () => {
    const img = randomImage([20, 24, 3], 0.1, 1);
    const t = cutout({ height: 5, width: 7, fill: [0, 0.01, 0.02] });
    for (let seed = 0; seed < 10; seed++) {
      const out = t.apply(img, seeded(seed));
      let erased = 0;
      let changed = 0;
      const rows = new Set<number>();
      const cols = new Set<number>();
      for (let p = 0; p < 20 * 24; p++) {
        const isHole = out.data[3 * p] === 0 && out.data[3 * p + 1] === Math.fround(0.01) && out.data[3 * p + 2] === Math.fround(0.02);
        if (isHole) {
          erased++;
          rows.add(Math.floor(p / 24));
          cols.add(p % 24);
        } else {
          for (let k = 0; k < 3; k++) if (out.data[3 * p + k] !== img.data[3 * p + k]) changed++;
        }
      }
      expect(erased).toBe(35);
      expect(changed).toBe(0);
      expect([rows.size, cols.size]).toEqual([5, 7]); // one rectangle
    }
    const whole = cutout({ height: 50, width: 50 }).apply(img, seeded(0));
    expect(whole.data.every((v) => v === 0)).toBe(true);
  });
});
