import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { centerCrop, cropImage, randomCrop } from '@omnitrain/image';
import type { FloatImage } from '@omnitrain/image';
import { pixel, randomImage, seeded } from '../../test-fixtures/images.js';

/** Every (top, left) at which `window` equals a block of `image` (with `fill` outside it). */
function placements(image: FloatImage, window: FloatImage, pad: number, fill: number): Array<[number, number]> {
  const [h, w, c] = image.shape;
  const [wh, ww] = window.shape;
  const found: Array<[number, number]> = [];
  for (let top = -pad; top + wh <= h + pad; top++) {
    for (let left = -pad; left + ww <= w + pad; left++) {
      let same = true;
      for (let y = 0; y < wh && same; y++) {
        for (let x = 0; x < ww && same; x++) {
          for (let k = 0; k < c && same; k++) {
            const [sy, sx] = [top + y, left + x];
            const expected = sy >= 0 && sy < h && sx >= 0 && sx < w ? pixel(image, sx, sy, k) : fill;
            same = pixel(window, x, y, k) === expected;
          }
        }
      }
      if (same) found.push([top, left]);
    }
  }
  return found;
}

describe('crops', () => {
  it('cropImage copies the window exactly and fills what lies outside the image', () => {
    const img = randomImage([6, 8, 2]);
    expect(placements(img, cropImage(img, { top: 1, left: 2, height: 4, width: 5 }), 0, 0)).toEqual([[1, 2]]);
    const padded = cropImage(img, { top: -2, left: 5, height: 5, width: 6 }, [0.5, 0.25]);
    expect(pixel(padded, 0, 0, 0)).toBe(0.5);
    expect(pixel(padded, 5, 4, 1)).toBe(0.25);
    expect(pixel(padded, 0, 2, 1)).toBe(pixel(img, 5, 0, 1));
    expect(() => cropImage(img, { top: 0, left: 0, height: 0, width: 3 })).toThrow(DataError);
  });

  it('centerCrop takes the middle (extra pixel bottom-right) and pads when the window is larger', () => {
    const img = randomImage([7, 10, 3]);
    const rng = seeded(1);
    expect(placements(img, centerCrop({ height: 4, width: 4 }).apply(img, rng), 0, 0)).toEqual([[1, 3]]);
    const big = centerCrop({ height: 9, width: 10, fill: 0.5 }).apply(img, rng);
    expect(big.shape).toEqual([9, 10, 3]);
    expect(pixel(big, 3, 0, 2)).toBe(0.5);
    expect(pixel(big, 3, 1, 2)).toBe(pixel(img, 3, 0, 2));
  });

  it('randomCrop places the window uniformly, padding included, from the Rng', () => {
    const img = randomImage([6, 6, 1]);
    const crop = randomCrop({ height: 4, width: 4, padding: 2, fill: 0.5 });
    const seen = new Set<string>();
    const rng = seeded(3);
    for (let i = 0; i < 300; i++) {
      const at = placements(img, crop.apply(img, rng), 2, 0.5);
      expect(at).toHaveLength(1);
      seen.add(String(at[0]));
    }
    expect(seen.size).toBe(7 * 7); // every top and left in [-2, 4]
    expect(crop.apply(img, seeded(9)).data).toEqual(crop.apply(img, seeded(9)).data);
  });
});
