import { describe, expect, it } from 'vitest';
import { flipHorizontal, flipVertical, randomHorizontalFlip, randomVerticalFlip } from '@omnitrain/image';
import { pixel, randomImage, seeded } from '../../test-fixtures/images.js';

describe('flips', () => {
  it('mirror pixels exactly, and flipping twice is the identity', () => {
    const img = randomImage([5, 7, 3]);
    const h = flipHorizontal(img);
    const v = flipVertical(img);
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 7; x++) {
        for (let k = 0; k < 3; k++) {
          expect(pixel(h, x, y, k)).toBe(pixel(img, 6 - x, y, k));
          expect(pixel(v, x, y, k)).toBe(pixel(img, x, 4 - y, k));
        }
      }
    }
    expect(flipHorizontal(h).data).toEqual(img.data);
    expect(flipVertical(v).data).toEqual(img.data);
    expect(flipHorizontal(v).data).toEqual(flipVertical(h).data);
  });

  it('random flips flip with probability p, decided by the Rng', () => {
    const img = randomImage([4, 6, 1]);
    const rng = seeded(11);
    let flipped = 0;
    for (let i = 0; i < 400; i++) if (randomHorizontalFlip({ p: 0.3 }).apply(img, rng).data[0] !== img.data[0]) flipped++;
    expect(flipped).toBeGreaterThan(90);
    expect(flipped).toBeLessThan(150);
    expect(randomVerticalFlip({ p: 1 }).apply(img, rng).data).toEqual(flipVertical(img).data);
    const never = randomVerticalFlip({ p: 0 }).apply(img, rng);
    expect(never.data).toEqual(img.data);
    expect(never.data).not.toBe(img.data);
  });
});
