import { describe, expect, it } from 'vitest';
import { imageHeader } from '@omnitrain/telemetry';
import { jpegHead, randomPng } from '../../test-fixtures/media.js';

const size = () => 1 + Math.floor(Math.random() * 300);

describe('imageHeader', () => {
  it('reads the size and colorspace of PNGs of every colour type, with and without transparency', () => {
    for (const [colorType, trns, colorspace] of [[0, false, 1], [0, true, 2], [2, false, 3], [2, true, 4], [4, false, 2], [6, false, 4]] as const) {
      const [width, height] = [size(), size()];
      expect(imageHeader(randomPng({ width, height, colorType, trns }))).toEqual({ format: 'png', width, height, colorspace });
    }
  });

  it('reads baseline JPEG headers (grey, YCbCr) and refuses CMYK, other formats and cut-off files', () => {
    for (const [components, colorspace] of [[1, 1], [3, 3]] as const) {
      const [width, height] = [size() * 100, size() * 100];
      expect(imageHeader(jpegHead({ width, height, components }))).toEqual({ format: 'jpeg', width, height, colorspace });
    }
    expect(imageHeader(jpegHead({ width: 5, height: 5, components: 4 }))).toBeUndefined();
    const png = randomPng({ width: 4, height: 4, colorType: 2 });
    for (const bad of [new Uint8Array(0), new TextEncoder().encode('GIF89a....'), png.subarray(0, 20), jpegHead({ width: 9, height: 9, components: 3 }).subarray(0, 24)]) {
      expect(imageHeader(bad)).toBeUndefined();
    }
  });
});
