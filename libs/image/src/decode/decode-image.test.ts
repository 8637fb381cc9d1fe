import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { decodeImage, readImageInfo, sniffImageFormat } from '@omnitrain/image';
import type { ImageShape } from '@omnitrain/image';
import { encode, maxAbsDiff, randomBytes, tempFiles } from '../../test-fixtures/images.js';

const unit = (bytes: ArrayLike<number>, max = 255) => Float32Array.from(bytes, (b) => b / max);

/** The channels `keep` of every pixel of an HWC byte array. */
const channels = (bytes: Uint8Array, c: number, keep: number[]) =>
  Uint8Array.from({ length: (bytes.length / c) * keep.length }, (_, i) => bytes[Math.floor(i / keep.length) * c + keep[i % keep.length]!]!);

describe('decodeImage', () => {
  it.each(['png', 'webp'] as const)('decodes lossless %s exactly: RGB, and RGBA with alpha kept, dropped or added', async (format) => {
    const rgb = randomBytes([7, 9, 3]);
    expect((await decodeImage(await encode(rgb, [7, 9, 3], format))).data).toEqual(unit(rgb));
    const rgba = randomBytes([5, 6, 4]);
    const file = await encode(rgba, [5, 6, 4], format);
    const kept = await decodeImage(file, { alpha: 'keep' });
    expect(kept.shape).toEqual([5, 6, 4]);
    expect(kept.data).toEqual(unit(rgba));
    expect((await decodeImage(file)).data).toEqual(unit(channels(rgba, 4, [0, 1, 2])));
    const opaque = await decodeImage(await encode(rgb, [7, 9, 3], format), { alpha: 'add' });
    expect(opaque.data).toEqual(unit(channels(rgb, 3, [0, 1, 2, 2]).map((v, i) => (i % 4 === 3 ? 255 : v))));
  });

  it('decodes gray PNGs exactly, as 1 channel or replicated to RGB, with alpha on request', async () => {
    const gray = randomBytes([6, 8, 1]);
    const file = await encode(gray, [6, 8, 1], 'png');
    const kept = await decodeImage(file, { colors: 'keep' });
    expect(kept.shape).toEqual([6, 8, 1]);
    expect(kept.data).toEqual(unit(gray));
    expect((await decodeImage(file, { colors: 'gray' })).data).toEqual(unit(gray));
    expect((await decodeImage(file)).data).toEqual(unit(channels(gray, 1, [0, 0, 0])));
    const grayAlpha = randomBytes([4, 5, 2]);
    const withAlpha = await decodeImage(await encode(grayAlpha, [4, 5, 2], 'png'), { colors: 'gray', alpha: 'keep' });
    expect(withAlpha.shape).toEqual([4, 5, 2]);
    expect(withAlpha.data).toEqual(unit(grayAlpha));
  });

  it('converts colour to gray by luma 0.299 R + 0.587 G + 0.114 B', async () => {
    const rgb = randomBytes([5, 7, 3]);
    const gray = await decodeImage(await encode(rgb, [5, 7, 3], 'png'), { colors: 'gray' });
    const luma = Float32Array.from({ length: 35 }, (_, i) => (0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!) / 255);
    expect(gray.shape).toEqual([5, 7, 1]);
    expect(maxAbsDiff(gray.data, luma)).toBeLessThan(1e-6);
  });

  it('decodes 16-bit PNGs to 16-bit precision', async () => {
    const shape: ImageShape = [4, 6, 3];
    const deep = Uint16Array.from({ length: 72 }, () => Math.floor(Math.random() * 65536));
    const img = await decodeImage(await encode(deep, shape, 'png'));
    expect(maxAbsDiff(img.data, unit(deep, 65535))).toBeLessThan(1e-7);
  });

  it('decodes JPEG within tolerance of the encoded pixels', async () => {
    const rgb = randomBytes([32, 48, 3]);
    const img = await decodeImage(await encode(rgb, [32, 48, 3], 'jpeg')); // quality 100, 4:4:4
    expect(img.shape).toEqual([32, 48, 3]);
    const expected = unit(rgb);
    let sum = 0;
    for (let i = 0; i < expected.length; i++) sum += Math.abs(img.data[i]! - expected[i]!);
    expect(sum / expected.length).toBeLessThan(1 / 255); // measured ~0.48 / 255 on white noise
    expect(maxAbsDiff(img.data, expected)).toBeLessThan(6.5 / 255); // measured 3-4 / 255
  });

  it('resizes while decoding as sharp does on the same pixels', async () => {
    const rgb = randomBytes([20, 30, 3]);
    const file = await encode(rgb, [20, 30, 3], 'png');
    const img = await decodeImage(file, { resize: { width: 12, height: 8, fit: 'fill', kernel: 'linear' } });
    const expected = await sharp(rgb, { raw: { width: 30, height: 20, channels: 3 } }).resize({ width: 12, height: 8, fit: 'fill', kernel: 'linear' }).raw().toBuffer();
    expect(img.shape).toEqual([8, 12, 3]);
    expect(img.data).toEqual(unit(expected));
    expect((await decodeImage(file, { resize: { width: 15 } })).shape).toEqual([10, 15, 3]);
  });

  it('applies the EXIF orientation unless told not to', async () => {
    const [h, w] = [4, 6];
    const rgb = randomBytes([h, w, 3]);
    const file = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).withMetadata({ orientation: 6 }).png().toBuffer();
    // Orientation 6: shown turned 90 degrees clockwise, so shown pixel (x, y) is stored pixel (y, h - 1 - x).
    const turned = Uint8Array.from({ length: h * w * 3 }, (_, i) => {
      const [y, x, k] = [Math.floor(i / (h * 3)), Math.floor(i / 3) % h, i % 3];
      return rgb[((h - 1 - x) * w + y) * 3 + k]!;
    });
    const shown = await decodeImage(file);
    expect(shown.shape).toEqual([w, h, 3]);
    expect(shown.data).toEqual(unit(turned));
    expect((await decodeImage(file, { autoOrient: false })).data).toEqual(unit(rgb));
    expect(await readImageInfo(file)).toMatchObject({ format: 'png', width: h, height: w, channels: 3, bitDepth: 8 });
  });

  it('throws a DataError naming the file for missing, empty, unsupported, corrupt and truncated files', async () => {
    const png = await encode(randomBytes([16, 16, 3]), [16, 16, 3], 'png');
    const jpeg = await encode(randomBytes([16, 16, 3]), [16, 16, 3], 'jpeg');
    const webp = await encode(randomBytes([16, 16, 3]), [16, 16, 3], 'webp');
    const corrupt = Buffer.from(png);
    corrupt.fill(0x5a, 40, 80);
    const dir = await tempFiles({
      'empty.png': '',
      'notes.png': 'this is text, not an image',
      'anim.gif': await encode(randomBytes([8, 8, 3]), [8, 8, 3], 'gif'),
      'corrupt.png': corrupt,
      'cut.png': png.subarray(0, png.length >> 1),
      'cut.jpg': jpeg.subarray(0, jpeg.length >> 1),
      'cut.webp': webp.subarray(0, webp.length >> 1),
    });
    const cases: Array<[string, RegExp]> = [
      ['missing.png', /expected a readable image file, got an unreadable file \(ENOENT\)/],
      ['empty.png', /got an empty file/],
      ['notes.png', /expected a PNG, JPEG or WebP image, got bytes that are no known image format/],
      ['anim.gif', /got a GIF image, which is not supported/],
      ['corrupt.png', /expected a complete, valid PNG image, got a corrupt or truncated file \(libvips: /],
      ['cut.png', /valid PNG image, got a corrupt or truncated file/],
      ['cut.jpg', /valid JPEG image, got a corrupt or truncated file/],
      ['cut.webp', /valid WebP image, got a corrupt or truncated file/],
    ];
    for (const [name, message] of cases) {
      const path = join(dir, name);
      const error = await decodeImage(path).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(DataError);
      expect((error as DataError).message, name).toMatch(message);
      expect((error as DataError).message, name).toContain(`(file ${path})`);
      expect((error as DataError).op).toBe('image.decode');
    }
    const bytes = await readFile(join(dir, 'cut.jpg'));
    await expect(decodeImage(bytes, { source: 'upload-7.jpg' })).rejects.toThrow(/\(file upload-7\.jpg\)/);
  });

  it('rejects invalid options with a ConfigError', async () => {
    const file = await encode(randomBytes([4, 4, 3]), [4, 4, 3], 'png');
    await expect(decodeImage(file, { colors: 'cmyk' as 'rgb' })).rejects.toThrow(/colors/);
    await expect(decodeImage(file, { resize: {} })).rejects.toThrow(/give width, height or both/);
  });
});

describe('readImageInfo and sniffImageFormat', () => {
  it('read the header only: size, channels, depth; a file cut after its header still passes', async () => {
    const rgba = await encode(randomBytes([40, 48, 4]), [40, 48, 4], 'png');
    expect(await readImageInfo(rgba)).toEqual({ format: 'png', width: 48, height: 40, channels: 4, hasAlpha: true, bitDepth: 8 });
    const deep = await encode(new Uint16Array(12), [2, 2, 3], 'png');
    expect((await readImageInfo(deep)).bitDepth).toBe(16);
    const dir = await tempFiles({ 'cut.png': rgba.subarray(0, rgba.length >> 1) });
    await writeFile(join(dir, 'x.bin'), 'nope');
    expect((await readImageInfo(join(dir, 'cut.png'))).width).toBe(48);
    await expect(decodeImage(join(dir, 'cut.png'))).rejects.toThrow(DataError);
    await expect(readImageInfo(join(dir, 'x.bin'))).rejects.toThrow(/image\.readInfo: .*\(file .*x\.bin\)/);
    expect(sniffImageFormat(await encode(randomBytes([2, 2, 3]), [2, 2, 3], 'jpeg'))).toBe('jpeg');
    expect(sniffImageFormat(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
