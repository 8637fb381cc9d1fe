import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';

/** ITU-R BT.601 luma weights of red, green and blue, as PIL's `convert('L')` and torchvision use. */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/**
 * Converts an RGB (or RGBA) image to gray (or gray + alpha) by luma,
 * `0.299 R + 0.587 G + 0.114 B`; alpha is kept. Gray images are returned as a copy.
 *
 * @param image The image.
 * @returns A new image with 1 colour channel.
 * @example toGrayscale(rgb).shape // [h, w, 1]
 */
export function toGrayscale(image: FloatImage): FloatImage {
  const [height, width, channels] = image.shape;
  if (channels < 3) return floatImage(image.shape, image.data.slice());
  const alpha = channels === 4;
  const out = floatImage([height, width, alpha ? 2 : 1]);
  const src = image.data;
  const dst = out.data;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0, o = 0; i < src.length; i += channels) {
    dst[o++] = wr * src[i]! + wg * src[i + 1]! + wb * src[i + 2]!;
    if (alpha) dst[o++] = src[i + 3]!;
  }
  return out;
}
