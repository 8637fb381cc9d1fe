import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';

/**
 * Mirrors an image left to right (column x becomes column width - 1 - x); exact.
 *
 * @param image The input, not modified.
 * @example flipHorizontal(flipHorizontal(image)) // equals image
 */
export function flipHorizontal(image: FloatImage): FloatImage {
  const [h, w, ch] = image.shape;
  const out = floatImage(image.shape);
  const src = image.data;
  const dst = out.data;
  for (let y = 0; y < h; y++) {
    const rowStart = y * w * ch;
    for (let x = 0; x < w; x++) {
      const from = rowStart + (w - 1 - x) * ch;
      const to = rowStart + x * ch;
      for (let k = 0; k < ch; k++) dst[to + k] = src[from + k]!;
    }
  }
  return out;
}
