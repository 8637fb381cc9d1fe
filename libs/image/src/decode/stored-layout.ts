// What decodeImage must know before decoding (bit depth, stored gray), read from the header bytes
// it already holds, so a decode is one libvips call instead of two (metadata, then pixels).
import type { ImageSource } from './image-source.js';

/** How an image is stored: 16-bit samples, and gray (no colour) channels. */
export interface StoredLayout {
  sixteenBit: boolean;
  gray: boolean;
}

/** JPEG start-of-frame markers (C0-CF except DHT C4, JPG C8, DAC CC). */
const isStartOfFrame = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * Reads bit depth and gray-ness from a PNG's IHDR, a JPEG's start-of-frame segment, or a WebP
 * (always 8-bit colour, as libvips decodes it). Returns undefined when the header is not what
 * it should be (truncated, 12-bit JPEG, ...): the caller then asks libvips (sharp's metadata).
 *
 * @param source The sniffed, supported image.
 * @example storedLayout(await readImageSource('a.png', op)) // { sixteenBit: false, gray: true }
 */
export function storedLayout(source: ImageSource): StoredLayout | undefined {
  const b = source.bytes;
  if (source.format === 'webp') return { sixteenBit: false, gray: false };
  if (source.format === 'png') {
    // 8-byte signature, then the IHDR chunk: length, "IHDR", width, height, bit depth, colour type.
    const ihdr = b.length >= 26 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52;
    if (!ihdr) return undefined;
    const colorType = b[25]!;
    return { sixteenBit: b[24] === 16, gray: colorType === 0 || colorType === 4 };
  }
  // JPEG: walk the marker segments up to the first start-of-frame.
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return undefined;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      p += 2; // markers without a length
      continue;
    }
    if (isStartOfFrame(marker)) {
      // length (2), precision (1), height (2), width (2), component count (1)
      if (b[p + 4] !== 8) return undefined;
      return { sixteenBit: false, gray: b[p + 9] === 1 };
    }
    p += 2 + ((b[p + 2]! << 8) | b[p + 3]!);
  }
  return undefined;
}
