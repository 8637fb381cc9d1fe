import sharp from 'sharp';
import { readImageSource, undecodableImage } from './image-source.js';

/** What an image file's header says, as {@link readImageInfo} returns it. */
export interface ImageInfo {
  format: 'png' | 'jpeg' | 'webp';
  /** Width in pixels, after the EXIF orientation is applied. */
  width: number;
  /** Height in pixels, after the EXIF orientation is applied. */
  height: number;
  /** Channels as stored, alpha included (a gray WebP reports 3: WebP stores colour). */
  channels: number;
  hasAlpha: boolean;
  /** Bits per sample: 8 or 16. */
  bitDepth: 8 | 16;
}

/**
 * Reads an image's format, size and channels from its header, without decoding the pixels: fast,
 * but a file truncated after its header passes (use `decodeImage` to prove it decodes).
 *
 * @param input A file path, or the encoded bytes.
 * @param source The name errors give bytes. Default `<bytes>`.
 * @throws DataError naming the file when it is missing, empty, not PNG/JPEG/WebP or its header is corrupt.
 * @example const { width, height } = await readImageInfo('data/cat.jpg');
 */
export async function readImageInfo(input: string | Uint8Array, source?: string): Promise<ImageInfo> {
  const op = 'image.readInfo';
  const src = await readImageSource(input, op, source);
  try {
    const meta = await sharp(src.bytes).metadata();
    return {
      format: src.format,
      width: meta.autoOrient.width,
      height: meta.autoOrient.height,
      channels: meta.channels,
      hasAlpha: meta.hasAlpha,
      bitDepth: meta.depth === 'ushort' ? 16 : 8,
    };
  } catch (cause) {
    throw undecodableImage(src, op, cause);
  }
}
