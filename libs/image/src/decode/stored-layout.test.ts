// decodeImage reads bit depth and gray-ness from the header bytes (stored-layout.ts) instead of a
// second libvips call; the oracle here is libvips itself (sharp's metadata) on fresh random images
// in every layout the three formats store.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '@omnitrain/image';
import { randomBytes } from '../../test-fixtures/images.js';

type Variant = [name: string, make: () => Promise<Buffer>];

const raw = (c: 1 | 2 | 3 | 4, h = 5 + Math.floor(Math.random() * 9), w = 5 + Math.floor(Math.random() * 9)) =>
  sharp(randomBytes([h, w, c]), { raw: { width: w, height: h, channels: c } });

const deep = (c: 1 | 3, h = 6, w = 7) =>
  sharp(Uint16Array.from({ length: h * w * c }, () => Math.floor(Math.random() * 65536)), { raw: { width: w, height: h, channels: c } })
    .toColourspace(c === 1 ? 'grey16' : 'rgb16');

const VARIANTS: Variant[] = [
  ['PNG gray 8-bit', () => raw(1).toColourspace('b-w').png().toBuffer()],
  ['PNG gray + alpha', () => raw(2).toColourspace('b-w').png().toBuffer()],
  ['PNG gray 16-bit', () => deep(1).png().toBuffer()],
  ['PNG RGB 16-bit', () => deep(3).png().toBuffer()],
  ['PNG RGB', () => raw(3).png().toBuffer()],
  ['PNG RGBA', () => raw(4).png().toBuffer()],
  ['PNG palette', () => raw(3).png({ palette: true, colours: 16 }).toBuffer()],
  ['PNG gray 4-bit', () => raw(1).toColourspace('b-w').png({ palette: true, colours: 16 }).toBuffer()],
  ['JPEG RGB', () => raw(3).jpeg().toBuffer()],
  ['JPEG gray', () => raw(1).toColourspace('b-w').jpeg().toBuffer()],
  ['JPEG gray, progressive, with EXIF', () => raw(1).toColourspace('b-w').withMetadata({ orientation: 1 }).jpeg({ progressive: true }).toBuffer()],
  ['JPEG CMYK', () => raw(3).toColourspace('cmyk').jpeg().toBuffer()],
  ['WebP RGB', () => raw(3).webp({ lossless: true }).toBuffer()],
  ['WebP RGBA', () => raw(4).webp().toBuffer()],
];

describe('decodeImage: stored layout from the header', () => {
  it.each(VARIANTS)('%s: keeps gray as libvips reports it, at its bit depth', async (_, make) => {
    const bytes = await make();
    const meta = await sharp(bytes).metadata();
    const gray = meta.space === 'b-w' || meta.space === 'grey16';
    const kept = await decodeImage(bytes, { colors: 'keep', alpha: 'keep' });
    expect(kept.shape[2]).toBe((gray ? 1 : 3) + (meta.hasAlpha ? 1 : 0));
    // The decoded values are sharp's own raw output, at 8 or 16 bits as the file stores them.
    const sixteen = meta.depth === 'ushort';
    const pixels = await sharp(bytes).toColourspace(sixteen ? 'rgb16' : 'srgb').raw(sixteen ? { depth: 'ushort' } : {}).toBuffer();
    const samples = sixteen ? new Uint16Array(pixels.buffer, pixels.byteOffset, pixels.length / 2) : pixels;
    const rgb = await decodeImage(bytes, { alpha: 'keep' });
    expect(rgb.data).toEqual(Float32Array.from(samples, (v) => v / (sixteen ? 65535 : 255)));
  });

  it('falls back to libvips for a header it does not parse and still names a corrupt file', async () => {
    const png = await raw(3).png().toBuffer();
    const cut = png.subarray(0, 20); // before the IHDR fields
    await expect(decodeImage(cut, { source: 'cut.png' })).rejects.toThrow(/cut\.png/);
    const jpeg = await raw(3).jpeg().toBuffer();
    await expect(decodeImage(jpeg.subarray(0, 40), { source: 'cut.jpg' })).rejects.toThrow(/cut\.jpg/);
  });
});
