import { describe, expect, it } from 'vitest';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, colorJitter, floatImage, toGrayscale } from '@omnitrain/image';
import { maxAbsDiff, randomImage, seeded } from '../../test-fixtures/images.js';

const luma = (data: Float32Array, channels: number) =>
  Float32Array.from({ length: data.length / channels }, (_, i) => 0.299 * data[i * channels]! + 0.587 * data[i * channels + 1]! + 0.114 * data[i * channels + 2]!);

describe('colour adjustments', () => {
  it('brightness multiplies and clamps; factor 1 is the identity', () => {
    const img = randomImage([6, 7, 4]);
    expect(adjustBrightness(img, 1).data).toEqual(img.data);
    const brighter = adjustBrightness(img, 1.5);
    for (let i = 0; i < img.data.length; i++) {
      expect(brighter.data[i]).toBeCloseTo(i % 4 === 3 ? img.data[i]! : Math.min(1, 1.5 * img.data[i]!), 6); // alpha kept
    }
  });

  it('contrast blends with the mean luma: factor 1 identity, factor 0 uniform mean gray', () => {
    const img = randomImage([5, 8, 3]);
    expect(maxAbsDiff(adjustContrast(img, 1).data, img.data)).toBeLessThan(1e-7);
    const mean = luma(img.data, 3).reduce((a, b) => a + b, 0) / 40;
    expect(maxAbsDiff(adjustContrast(img, 0).data, new Float32Array(120).fill(mean))).toBeLessThan(1e-6);
    const half = adjustContrast(img, 0.5);
    expect(maxAbsDiff(half.data, img.data.map((v) => 0.5 * v + 0.5 * mean))).toBeLessThan(1e-6);
  });

  it('saturation 0 gives the luma gray in every channel; 1 is the identity', () => {
    const img = randomImage([6, 5, 3]);
    const gray = adjustSaturation(img, 0);
    const expected = luma(img.data, 3);
    expect(maxAbsDiff(gray.data, Float32Array.from(gray.data, (_, i) => expected[Math.floor(i / 3)]!))).toBeLessThan(1e-6);
    expect(maxAbsDiff(toGrayscale(img).data, expected)).toBeLessThan(1e-6);
    expect(adjustSaturation(img, 1).data).toEqual(img.data);
  });

  it('hue: a shift of 360 is the identity, 120 rotates R -> G -> B, and shifts add up', () => {
    const img = randomImage([7, 6, 3]);
    expect(adjustHue(img, 360).data).toEqual(img.data);
    expect(adjustHue(img, -720).data).toEqual(img.data);
    const third = adjustHue(img, 120);
    const rotated = Float32Array.from(img.data, (_, i) => img.data[i - (i % 3) + ((i % 3) + 2) % 3]!); // (r, g, b) -> (b, r, g)
    expect(maxAbsDiff(third.data, rotated)).toBeLessThan(1e-6);
    expect(maxAbsDiff(adjustHue(adjustHue(img, 100), 260).data, img.data)).toBeLessThan(1e-5);
    expect(maxAbsDiff(adjustHue(adjustHue(img, 25), 35).data, adjustHue(img, 60).data)).toBeLessThan(1e-5);
  });

  it('saturation and hue leave gray images alone', () => {
    const gray = randomImage([4, 4, 1]);
    expect(adjustSaturation(gray, 0.2).data).toEqual(gray.data);
    expect(adjustHue(gray, 45).data).toEqual(gray.data);
    const neutral = floatImage([1, 2, 3], Float32Array.of(0.3, 0.3, 0.3, 0.8, 0.8, 0.8));
    expect(adjustHue(neutral, 90).data).toEqual(neutral.data);
  });
});

describe('colorJitter', () => {
  it('with neutral ranges is the identity; draws its factors from the Rng', () => {
    const img = randomImage([8, 8, 3]);
    expect(colorJitter().apply(img, seeded(1)).data).toEqual(img.data);
    expect(colorJitter({ brightness: [1, 1], hue: [360, 360] }).apply(img, seeded(1)).data).toEqual(img.data);
    const t = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 30 });
    expect(t.apply(img, seeded(4)).data).toEqual(t.apply(img, seeded(4)).data);
    expect(maxAbsDiff(t.apply(img, seeded(4)).data, t.apply(img, seeded(5)).data)).toBeGreaterThan(0.01);
  });

  it('saturation [0, 0] alone makes the luma gray', () => {
    const img = randomImage([3, 9, 3]);
    const out = colorJitter({ saturation: [0, 0] }).apply(img, seeded(2));
    const expected = luma(img.data, 3);
    expect(maxAbsDiff(out.data, Float32Array.from(out.data, (_, i) => expected[Math.floor(i / 3)]!))).toBeLessThan(1e-6);
  });
});
