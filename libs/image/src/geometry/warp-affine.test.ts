import { describe, expect, it } from 'vitest';
import {
  centeredAffine,
  flipHorizontal,
  flipVertical,
  floatImage,
  randomRotation,
  randomScale,
  randomTranslation,
  warpAffine,
} from '@omnitrain/image';
import type { FloatImage } from '@omnitrain/image';
import { maxAbsDiff, pixel, rampImage, randomImage, seeded } from '../../test-fixtures/images.js';

const rng = () => seeded(Math.floor(Math.random() * 2 ** 31));

/** Rows become columns: out(x, y) = in(y, x). */
function transpose(image: FloatImage): FloatImage {
  const [h, w, c] = image.shape;
  const out = floatImage([w, h, c]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out.data[(x * h + y) * c + k] = pixel(image, x, y, k);
  return out;
}

const rotate = (image: FloatImage, degrees: number) => randomRotation({ degrees: [degrees, degrees] }).apply(image, rng());

describe('affine augmentations', () => {
  it('rotate 0, scale 1 and translate 0 are the identity, exactly', () => {
    const img = randomImage([9, 13, 3]);
    expect(rotate(img, 0).data).toEqual(img.data);
    expect(randomScale({ scale: [1, 1] }).apply(img, rng()).data).toEqual(img.data);
    expect(randomTranslation().apply(img, rng()).data).toEqual(img.data);
  });

  it('rotating 90 degrees (counter-clockwise) is transpose then vertical flip; 4 x 90 and 360 are the identity', () => {
    const img = randomImage([11, 11, 3]);
    const quarter = rotate(img, 90);
    expect(quarter.data).toEqual(flipVertical(transpose(img)).data);
    expect(rotate(img, -90).data).toEqual(flipHorizontal(transpose(img)).data);
    expect(rotate(img, 180).data).toEqual(flipVertical(flipHorizontal(img)).data);
    expect(rotate(rotate(rotate(quarter, 90), 90), 90).data).toEqual(img.data);
    expect(rotate(img, 360).data).toEqual(img.data);
  });

  it('translating by whole pixels shifts exactly and fills what comes in', () => {
    const img = randomImage([8, 10, 2]);
    const [dx, dy] = [3, -2];
    const out = randomTranslation({ x: [dx, dx], y: [dy, dy], unit: 'pixels', fill: [0.25, 0.75] }).apply(img, rng());
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 10; x++) {
        const [sx, sy] = [x - dx, y - dy];
        const inside = sx >= 0 && sx < 10 && sy >= 0 && sy < 8;
        for (let k = 0; k < 2; k++) expect(pixel(out, x, y, k)).toBe(inside ? pixel(img, sx, sy, k) : [0.25, 0.75][k]);
      }
    }
    const fraction = randomTranslation({ x: [0.3, 0.3], unit: 'fraction', round: true }).apply(img, rng());
    expect(pixel(fraction, 5, 4, 1)).toBe(pixel(img, 2, 4, 1));
  });

  it('bilinear sampling is exact on images linear in x and y, at any angle, scale and shift', () => {
    const [h, w] = [24, 32];
    const { image, at } = rampImage([h, w, 3]);
    const motion = { degrees: 360 * Math.random(), scale: 0.5 + Math.random(), translate: [4 * Math.random() - 2, 4 * Math.random() - 2] as const };
    const inverse = centeredAffine(image.shape, motion);
    const out = warpAffine(image, inverse, { fill: -1 });
    const [a, b, c, d, e, f] = inverse;
    let checked = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [sx, sy] = [a * x + b * y + c, d * x + e * y + f];
        const inside = sx >= 0 && sx <= w - 1 && sy >= 0 && sy <= h - 1;
        const outside = sx < -1 || sx > w || sy < -1 || sy > h;
        for (let k = 0; k < 3; k++) {
          if (inside) expect(pixel(out, x, y, k)).toBeCloseTo(at(sx, sy, k), 5);
          if (outside) expect(pixel(out, x, y, k)).toBe(-1);
        }
        if (inside) checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('rotation moves content counter-clockwise and scaling about the centre enlarges it', () => {
    // A point right of centre goes above it under a counter-clockwise quarter turn.
    const img = floatImage([5, 5, 1]);
    img.data[2 * 5 + 4] = 1; // (x 4, y 2)
    expect(pixel(rotate(img, 90), 2, 0)).toBe(1);
    const { image, at } = rampImage([9, 9, 1]);
    const zoomed = randomScale({ scale: [2, 2] }).apply(image, rng());
    expect(pixel(zoomed, 8, 4)).toBeCloseTo(at(6, 4, 0), 5); // 4 pixels right of centre came from 2
  });

  it('draws its parameters from the Rng: same seed same output, other seeds other outputs', () => {
    const img = randomImage([16, 16, 3]);
    for (const t of [randomRotation({ degrees: 30 }), randomScale({ scale: 0.2 }), randomTranslation({ x: 0.2, y: 0.2 })]) {
      const one = t.apply(img, seeded(7));
      expect(t.apply(img, seeded(7)).data).toEqual(one.data);
      expect(maxAbsDiff(t.apply(img, seeded(8)).data, one.data)).toBeGreaterThan(0);
    }
  });
});
