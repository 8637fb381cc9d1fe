import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng, floatImage } from '@omnitrain/image';

describe('encodePng', () => {
  it.each([1, 3])('round-trips %i-channel fresh random images to their 8-bit levels, byte-identically', async (c) => {
    const h = 5 + Math.floor(Math.random() * 20);
    const w = 5 + Math.floor(Math.random() * 20);
    const img = floatImage([h, w, c], Float32Array.from({ length: h * w * c }, () => Math.random() * 1.2 - 0.1));
    const bytes = await encodePng(img);
    const back = await decodeImage(bytes, { colors: 'keep' });
    expect(back.shape).toEqual([h, w, c]);
    const expected = Array.from(img.data, (v) => Math.fround(Math.round(Math.min(1, Math.max(0, v)) * 255) / 255));
    expect([...back.data]).toEqual(expected);
    expect(await encodePng(img)).toEqual(bytes);
  });
});
