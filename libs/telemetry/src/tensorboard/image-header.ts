/** What TensorBoard needs to know of an encoded image, read from its header. */
export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** `Summary.Image` colorspace: 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA. */
  colorspace: 1 | 2 | 3 | 4;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads the size and colour layout of a PNG (IHDR, plus a tRNS chunk for transparency) or a
 * baseline / progressive JPEG (its SOF segment) without decoding pixels.
 *
 * @param bytes The whole file, or at least its header.
 * @returns The header, or undefined when the bytes are neither PNG nor JPEG (or the header is cut
 *   off, or a JPEG is CMYK, which `Summary.Image` has no colorspace for).
 *
 * @example
 * imageHeader(await readFile('runs/a/samples/000-image.png')); // { format: 'png', width: 28, height: 28, colorspace: 1 }
 */
export function imageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes, view);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHeader(bytes, view);
  return undefined;
}

function pngHeader(bytes: Uint8Array, view: DataView): ImageHeader | undefined {
  if (bytes.length < 33 || chunkType(bytes, 12) !== 'IHDR') return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const colorType = bytes[25]!;
  let transparent = false;
  // Chunks: length, type, data, CRC. A tRNS chunk comes before the first IDAT.
  for (let at = 33; at + 8 <= bytes.length; at += 12 + view.getUint32(at)) {
    const type = chunkType(bytes, at + 4);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'tRNS') transparent = true;
  }
  const colorspace = ({ 0: transparent ? 2 : 1, 2: transparent ? 4 : 3, 3: transparent ? 4 : 3, 4: 2, 6: 4 } as const)[colorType as 0 | 2 | 3 | 4 | 6];
  return colorspace === undefined ? undefined : { format: 'png', width, height, colorspace };
}

function jpegHeader(bytes: Uint8Array, view: DataView): ImageHeader | undefined {
  for (let at = 2; at + 4 <= bytes.length; ) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width, components.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 10 > bytes.length) return undefined;
      const components = bytes[at + 9]!;
      if (components !== 1 && components !== 3) return undefined;
      return { format: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7), colorspace: components === 1 ? 1 : 3 };
    }
    at += 2 + length;
  }
  return undefined;
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}
