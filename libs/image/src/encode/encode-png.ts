import sharp from 'sharp';
import { DataError } from '@omnitrain/core';
import type { FloatImage } from '../image/float-image.js';

/**
 * Encodes a {@link FloatImage} (values in [0, 1]) as the bytes of an 8-bit PNG file: each value is
 * clamped to [0, 1] and rounded to the nearest of 256 levels; 1 or 2 channels are stored gray
 * (+ alpha), 3 or 4 as RGB(A). The output is byte-identical for the same image (no timestamps).
 *
 * @param image The image, HWC.
 * @returns The PNG file's bytes; `decodeImage(bytes, { colors: 'keep' })` gives `round(v * 255) / 255`.
 * @throws DataError when sharp cannot encode it.
 * @example
 * await writeFile('digit.png', await encodePng(floatImage([28, 28, 1], pixels)));
 */
export async function encodePng(image: FloatImage): Promise<Uint8Array> {
  const [height, width, channels] = image.shape;
  const bytes = new Uint8Array(image.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, image.data[i]!)) * 255);
  try {
    const pipeline = sharp(bytes, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } });
    if (channels <= 2) pipeline.toColourspace('b-w');
    return new Uint8Array(await pipeline.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer());
  } catch (cause) {
    throw new DataError({
      op: 'image.encodePng',
      expected: 'an image sharp can encode as PNG',
      received: `[${image.shape.join(', ')}]: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  }
}
