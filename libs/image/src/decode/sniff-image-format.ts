/** Image formats recognized by their first bytes; only `png`, `jpeg` and `webp` are decoded. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'avif' | 'heif';

/** The formats `decodeImage` accepts. */
export const SUPPORTED_IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

const ascii = (bytes: Uint8Array, from: number, text: string): boolean =>
  bytes.length >= from + text.length && [...text].every((ch, i) => bytes[from + i] === ch.charCodeAt(0));

/**
 * The format of an encoded image, from its signature (magic bytes), or undefined when the bytes
 * are none of the known formats. Checked before decoding so that an unsupported file is named as
 * such instead of failing somewhere inside the decoder.
 *
 * @param bytes The start of the file (16 bytes suffice).
 * @example sniffImageFormat(await readFile('a.png')) // 'png'
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (ascii(bytes, 0, 'GIF8')) return 'gif';
  if (ascii(bytes, 0, 'BM')) return 'bmp';
  if (ascii(bytes, 0, 'II*\0') || ascii(bytes, 0, 'MM\0*')) return 'tiff';
  if (ascii(bytes, 4, 'ftypavi')) return 'avif';
  if (ascii(bytes, 4, 'ftyphei') || ascii(bytes, 4, 'ftypmif1') || ascii(bytes, 4, 'ftyphev')) return 'heif';
  return undefined;
}
