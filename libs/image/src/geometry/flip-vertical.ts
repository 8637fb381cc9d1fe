import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';

/**
 * Mirrors an image top to bottom (row y becomes row height - 1 - y); exact.
 *
 * @param image The input, not modified.
 * @example flipVertical(flipVertical(image)) // equals image
 */
export function flipVertical(image: FloatImage): FloatImage {
  const [h, w, ch] = image.shape;
  const out = floatImage(image.shape);
  const rowLength = w * ch;
  for (let y = 0; y < h; y++) {
    const from = (h - 1 - y) * rowLength;
    out.data.set(image.data.subarray(from, from + rowLength), y * rowLength);
  }
  return out;
}
