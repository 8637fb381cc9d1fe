import { DataError } from '@omnitrain/core';
import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { axisWeights } from './axis-weights.js';

/** Options of {@link resizeImage}. */
export interface ResizeImageOptions {
  /** Output height in pixels. */
  height: number;
  /** Output width in pixels. */
  width: number;
  /** The source region to resize, in pixels (fractions allowed). Default: the whole image. */
  box?: { top: number; left: number; height: number; width: number };
  /** When shrinking, widen the filter to average every covered pixel (no aliasing). Default true. */
  antialias?: boolean;
}

/**
 * Resizes a float image (or a region of it) with a separable triangle filter: bilinear
 * interpolation when enlarging and, with `antialias`, an average over every covered pixel when
 * shrinking (PIL's and torchvision's `antialias=True` bilinear). Works on the float values
 * directly: sharp cannot resample float data (to resize while decoding, use `decodeImage`'s `resize`).
 *
 * @param image The input, not modified.
 * @param options Output size, source box (default: all), antialias (default true).
 * @throws DataError when the size or box is invalid.
 * @example
 * const small = resizeImage(image, { height: 112, width: 112 });
 * const zoomed = resizeImage(image, { height: 224, width: 224, box: { top: 10, left: 20, height: 50, width: 80 } });
 */
export function resizeImage(image: FloatImage, options: ResizeImageOptions): FloatImage {
  const [h, w, ch] = image.shape;
  const { height, width, antialias = true } = options;
  const box = options.box ?? { top: 0, left: 0, height: h, width: w };
  const valid =
    Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0 && box.height > 0 && box.width > 0 &&
    box.top >= 0 && box.left >= 0 && box.top + box.height <= h && box.left + box.width <= w;
  if (!valid) {
    throw new DataError({
      op: 'image.resizeImage',
      expected: `a positive integer height and width and a box inside the ${h}x${w} image`,
      received: `height ${height}, width ${width}, box ${JSON.stringify(box)}`,
    });
  }
  const cols = axisWeights(w, width, box.left, box.width, antialias);
  const rows = axisWeights(h, height, box.top, box.height, antialias);
  const rowFirst = rows.first[0]!;
  const rowEnd = rows.first[height - 1]! + rows.count[height - 1]!;
  // Horizontal pass over the source rows the vertical pass reads: [rowEnd - rowFirst, width, ch].
  const mid = new Float32Array((rowEnd - rowFirst) * width * ch);
  const src = image.data;
  // Locals, not property reads, in the hot loops.
  const colFirst = cols.first;
  const colCount = cols.count;
  const colWeights = cols.weights;
  const colTaps = cols.taps;
  for (let y = rowFirst, m = 0; y < rowEnd; y++) {
    const rowStart = y * w * ch;
    for (let x = 0; x < width; x++) {
      const count = colCount[x]!;
      const wBase = x * colTaps;
      const base = rowStart + colFirst[x]! * ch;
      if (count === 2) {
        const w0 = colWeights[wBase]!;
        const w1 = colWeights[wBase + 1]!;
        for (let k = 0; k < ch; k++, m++) mid[m] = w0 * src[base + k]! + w1 * src[base + ch + k]!;
        continue;
      }
      for (let k = 0; k < ch; k++, m++) {
        let sum = 0;
        for (let t = 0, i = base + k; t < count; t++, i += ch) sum += colWeights[wBase + t]! * src[i]!;
        mid[m] = sum;
      }
    }
  }
  const out = floatImage([height, width, ch]);
  const dst = out.data;
  const midRow = width * ch;
  const rowWeights = rows.weights;
  for (let y = 0, o = 0; y < height; y++) {
    const first = rows.first[y]! - rowFirst;
    const count = rows.count[y]!;
    const wBase = y * rows.taps;
    if (count === 2) {
      // Upscaling (the common case of random resized crops): two taps, one fused pass.
      const w0 = rowWeights[wBase]!;
      const w1 = rowWeights[wBase + 1]!;
      for (let j = 0, i = first * midRow; j < midRow; j++, o++, i++) dst[o] = w0 * mid[i]! + w1 * mid[i + midRow]!;
      continue;
    }
    for (let j = 0; j < midRow; j++, o++) {
      let sum = 0;
      for (let t = 0, i = first * midRow + j; t < count; t++, i += midRow) sum += rowWeights[wBase + t]! * mid[i]!;
      dst[o] = sum;
    }
  }
  return out;
}
