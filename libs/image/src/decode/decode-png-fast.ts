import { crc32, inflateSync } from 'node:zlib';

/** 8-bit samples of a PNG decoded without sharp, as sharp's raw sRGB output would give them. */
export interface FastPng {
  width: number;
  height: number;
  /** RGB or RGBA bytes, row-major: what `sharp(png).toColourspace('srgb').raw()` gives. */
  data: Uint8Array;
  /** 3 or 4. */
  channels: 3 | 4;
  /** Stored gray (colour type 0 or 4). */
  gray: boolean;
}

/** Chunks that do not change sharp's pixels; any other chunk (gAMA, iCCP, tRNS, eXIf, ...) goes to sharp. */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'pHYs', 'tIME']);
/** Samples per pixel of each supported colour type: gray, RGB, palette, gray + alpha, RGBA. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a plain 8-bit, non-interlaced PNG (gray, RGB, palette, gray + alpha, RGBA) in JS with
 * node:zlib, skipping sharp's ~1 ms per-call overhead that dominates small images (28x28 digits).
 * Returns undefined for anything else (16-bit or sub-byte samples, interlacing, transparency or
 * colour-management chunks, EXIF, any damage: a bad CRC, short data, an unknown filter type),
 * so the caller falls back to sharp, which then decodes or reports the error. The output equals
 * sharp's raw sRGB output byte for byte (gray replicated to RGB, palette expanded, alpha kept or
 * dropped as asked). Internal to decodeImage.
 *
 * @param bytes The PNG file.
 * @param alpha `drop`, `keep` or `add` (as decodeImage's option).
 * @example decodePngFast(bytes, 'drop') // { width: 28, height: 28, data: <2352 bytes>, channels: 3, gray: true }
 */
export function decodePngFast(bytes: Uint8Array, alpha: 'drop' | 'keep' | 'add'): FastPng | undefined {
  if (bytes.length < 45 || bytes[0] !== 0x89 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (p + 12 <= bytes.length) {
    const length = view.getUint32(p);
    const type = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!, bytes[p + 6]!, bytes[p + 7]!);
    const body = p + 8;
    if (body + length + 4 > bytes.length) return undefined;
    if (crc32(bytes.subarray(p + 4, body + length)) !== view.getUint32(body + length)) return undefined; // damaged: sharp reports it
    if (type === 'IHDR') {
      if (p !== 8 || length !== 13) return undefined;
      width = view.getUint32(body);
      height = view.getUint32(body + 4);
      const depth = bytes[body + 8]!;
      colorType = bytes[body + 9]!;
      // compression 0, filter method 0, no interlace
      if (depth !== 8 || SAMPLES[colorType] === undefined || bytes[body + 10] !== 0 || bytes[body + 11] !== 0 || bytes[body + 12] !== 0) return undefined;
      if (width === 0 || height === 0 || width * height > 1 << 24) return undefined;
    } else if (type === 'PLTE') {
      if (length % 3 !== 0 || length === 0) return undefined;
      palette = bytes.subarray(body, body + length);
    } else if (type === 'IDAT') idat.push(bytes.subarray(body, body + length));
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if (!HARMLESS.has(type)) return undefined;
    p = body + length + 4;
  }
  if (!ended || colorType < 0 || idat.length === 0 || (colorType === 3 && palette === undefined)) return undefined;
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat));
  } catch {
    return undefined;
  }
  const bpp = SAMPLES[colorType]!;
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) return undefined;
  if (!unfilter(raw, height, stride, bpp)) return undefined;
  const hasAlpha = colorType === 4 || colorType === 6;
  const channels: 3 | 4 = alpha === 'add' || (alpha === 'keep' && hasAlpha) ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const paletteSize = palette === undefined ? 0 : palette.length / 3;
  for (let y = 0, o = 0; y < height; y++) {
    const row = y * (stride + 1) + 1;
    for (let x = 0; x < width; x++) {
      const s = row + x * bpp;
      let r: number, g: number, b: number, a = 255;
      switch (colorType) {
        case 0:
          r = g = b = raw[s]!;
          break;
        case 2:
          r = raw[s]!;
          g = raw[s + 1]!;
          b = raw[s + 2]!;
          break;
        case 3: {
          const i = raw[s]!;
          if (i >= paletteSize) return undefined; // out-of-range index: sharp decides
          r = palette![3 * i]!;
          g = palette![3 * i + 1]!;
          b = palette![3 * i + 2]!;
          break;
        }
        case 4:
          r = g = b = raw[s]!;
          a = raw[s + 1]!;
          break;
        default:
          r = raw[s]!;
          g = raw[s + 1]!;
          b = raw[s + 2]!;
          a = raw[s + 3]!;
      }
      out[o++] = r;
      out[o++] = g;
      out[o++] = b;
      if (channels === 4) out[o++] = a;
    }
  }
  return { width, height, data: out, channels, gray: colorType === 0 || colorType === 4 };
}

/** Undoes the PNG row filters in place (rows of `stride` bytes, each after its filter-type byte); false on an unknown filter type. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): boolean {
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const filter = raw[start]!;
    const cur = start + 1;
    const prev = cur - stride - 1; // the previous row's first byte (only read when y > 0)
    const up = y > 0;
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < stride; i++) raw[cur + i] = (raw[cur + i]! + raw[cur + i - bpp]!) & 255;
        break;
      case 2:
        if (up) for (let i = 0; i < stride; i++) raw[cur + i] = (raw[cur + i]! + raw[prev + i]!) & 255;
        break;
      case 3:
        for (let i = 0; i < stride; i++) {
          const left = i >= bpp ? raw[cur + i - bpp]! : 0;
          const above = up ? raw[prev + i]! : 0;
          raw[cur + i] = (raw[cur + i]! + ((left + above) >> 1)) & 255;
        }
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? raw[cur + i - bpp]! : 0;
          const b = up ? raw[prev + i]! : 0;
          const c = up && i >= bpp ? raw[prev + i - bpp]! : 0;
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          const pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          raw[cur + i] = (raw[cur + i]! + pred) & 255;
        }
        break;
      default:
        return false;
    }
  }
  return true;
}
