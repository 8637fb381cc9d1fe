import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { DataError } from '@omnitrain/core';
import { decodeImage, floatImage, randomResizedCrop, resize, resizeImage } from '@omnitrain/image';
import { encode, maxAbsDiff, pixel, rampImage, randomBytes, randomImage, seeded } from '../../test-fixtures/images.js';

describe('resizeImage', () => {
  it('is the identity at the same size and keeps constant images constant', () => {
    const img = randomImage([9, 14, 3]);
    expect(resizeImage(img, { height: 9, width: 14 }).data).toEqual(img.data);
    const flat = floatImage([20, 30, 2], new Float32Array(1200).fill(0.37));
    for (const [height, width] of [[7, 11], [45, 61], [20, 9]] as const) {
      expect(maxAbsDiff(resizeImage(flat, { height, width }).data, new Float32Array(height * width * 2).fill(0.37))).toBeLessThan(1e-6);
    }
  });

  it('reproduces linear images away from the borders, enlarging by any factor and shrinking by whole factors', () => {
    // Shrinking by a fractional factor samples the triangle unevenly, which bends lines slightly (as PIL does).
    const { image, at } = rampImage([30, 40, 2]);
    for (const [height, width] of [[75, 100], [47, 53], [15, 20], [10, 8]] as const) {
      const out = resizeImage(image, { height, width });
      const [sy, sx] = [30 / height, 40 / width];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Output pixel centre (x + 0.5) * sx in source pixel-edge coordinates is source pixel x' = that - 0.5.
          const [px, py] = [(x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5];
          const margin = Math.max(sx, sy, 1) + 1;
          if (px < margin || py < margin || px > 39 - margin || py > 29 - margin) continue;
          expect(pixel(out, x, y, 1)).toBeCloseTo(at(px, py, 1), 5);
        }
      }
    }
  });

  it('shrinks by an integer factor to the average over a triangle window, close to sharp on the same pixels', async () => {
    const bytes = randomBytes([32, 48, 3]);
    const img = await decodeImage(await encode(bytes, [32, 48, 3], 'png'));
    const ours = resizeImage(img, { height: 16, width: 24 });
    const theirs = await sharp(bytes, { raw: { width: 48, height: 32, channels: 3 } }).resize(24, 16, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
    // Both average with a triangle filter; they differ in edge handling and 8-bit rounding.
    let sum = 0;
    for (let i = 0; i < theirs.length; i++) sum += Math.abs(ours.data[i]! - theirs[i]! / 255);
    expect(sum / theirs.length).toBeLessThan(0.02);
  });

  it('resizes a box of the image, and rejects boxes outside it', () => {
    const img = randomImage([10, 10, 1]);
    const box = resizeImage(img, { height: 3, width: 4, box: { top: 2, left: 5, height: 3, width: 4 } });
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) expect(pixel(box, x, y)).toBe(pixel(img, x + 5, y + 2));
    expect(() => resizeImage(img, { height: 3, width: 3, box: { top: 8, left: 0, height: 3, width: 3 } })).toThrow(DataError);
  });
});

describe('resize and randomResizedCrop', () => {
  it('resize gives the asked size', () => {
    expect(resize({ height: 5, width: 7 }).apply(randomImage([20, 20, 3]), seeded(1)).shape).toEqual([5, 7, 3]);
  });

  it('with scale 1 and the image ratio, the crop is the whole image (identity at the same size)', () => {
    const img = randomImage([12, 18, 3]);
    const t = randomResizedCrop({ height: 12, width: 18, scale: [1, 1], ratio: [1.5, 1.5] });
    expect(t.apply(img, seeded(5)).data).toEqual(img.data);
  });

  it('crops a region within the scale and ratio ranges, at a seeded position', () => {
    const { image, at } = rampImage([60, 80, 1]);
    const t = randomResizedCrop({ height: 16, width: 16, scale: [0.1, 0.5], ratio: [0.5, 2], antialias: false });
    for (let seed = 0; seed < 20; seed++) {
      const out = t.apply(image, seeded(seed));
      expect(out.data).toEqual(t.apply(image, seeded(seed)).data);
      // On a linear image the crop's corners reveal its box: recover the scale and aspect.
      const [c0, c1, c2] = [pixel(out, 0, 0), pixel(out, 15, 0), pixel(out, 0, 15)];
      const dx = at(1, 0, 0) - at(0, 0, 0);
      const dy = at(0, 1, 0) - at(0, 0, 0);
      const width = ((c1 - c0) / dx) * (16 / 15);
      const height = ((c2 - c0) / dy) * (16 / 15);
      expect((width * height) / (60 * 80)).toBeGreaterThan(0.09);
      expect((width * height) / (60 * 80)).toBeLessThan(0.52);
      expect(width / height).toBeGreaterThan(0.45);
      expect(width / height).toBeLessThan(2.1);
    }
  });
});
