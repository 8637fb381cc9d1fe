// Test helpers: random images, their encoded files, and closeness measures.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Rng } from '@omnitrain/core';
import { floatImage } from '@omnitrain/image';
import type { FloatImage, ImageShape } from '@omnitrain/image';

/** A fresh random image with values uniform in [lo, hi). */
export function randomImage(shape: ImageShape, lo = 0, hi = 1): FloatImage {
  const img = floatImage(shape);
  for (let i = 0; i < img.data.length; i++) img.data[i] = lo + (hi - lo) * Math.random();
  return img;
}

/** Fresh random 8-bit pixels, HWC. */
export function randomBytes([h, w, c]: ImageShape): Uint8Array {
  return Uint8Array.from({ length: h * w * c }, () => Math.floor(Math.random() * 256));
}

/** Encodes 8-bit (or 16-bit) HWC pixels as a PNG, JPEG or WebP file's bytes; 1-2 channels are stored gray. */
export async function encode(
  pixels: Uint8Array | Uint16Array,
  [h, w, c]: ImageShape,
  format: 'png' | 'jpeg' | 'webp' | 'gif',
): Promise<Buffer> {
  const pipeline = sharp(pixels, { raw: { width: w, height: h, channels: c as 1 | 2 | 3 | 4 } });
  if (pixels instanceof Uint16Array) pipeline.toColourspace(c <= 2 ? 'grey16' : 'rgb16');
  else if (c <= 2) pipeline.toColourspace('b-w');
  if (format === 'png') return pipeline.png().toBuffer();
  // exact: libwebp otherwise rewrites the colour of fully transparent pixels.
  if (format === 'webp') return pipeline.webp({ lossless: true, exact: true }).toBuffer();
  if (format === 'gif') return pipeline.gif().toBuffer();
  return pipeline.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
}

/** A fresh temporary folder holding `files` (name -> bytes); returns its path. */
export async function tempFiles(files: Record<string, Uint8Array | string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'omnitrain-image-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
  return root;
}

/** The largest absolute difference between two equally long arrays (Infinity if lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The value at (x, y, channel k) of an HWC image. */
export function pixel(image: FloatImage, x: number, y: number, k = 0): number {
  return image.data[(y * image.shape[1] + x) * image.shape[2] + k]!;
}

/** An image linear in x and y, `value = c0 + c1 * x + c2 * y` per channel, with random coefficients. */
export function rampImage(shape: ImageShape): { image: FloatImage; at: (x: number, y: number, k: number) => number } {
  const [h, w, c] = shape;
  const coeffs = Array.from({ length: c }, () => [Math.random(), Math.random() - 0.5, Math.random() - 0.5] as const);
  const at = (x: number, y: number, k: number): number => coeffs[k]![0] + coeffs[k]![1] * x + coeffs[k]![2] * y;
  const image = floatImage(shape);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) image.data[(y * w + x) * c + k] = at(x, y, k);
  return { image, at };
}

/**
 * A seeded augmentation stream. (Rng.stream, not Rng.fromSeed: fromSeed's first draws for small
 * seeds are all close to 1, so every seed would flip alike.)
 */
export function seeded(seed: number): Rng {
  return Rng.stream(seed, { purpose: 'augment' });
}
