import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { LUMA_WEIGHTS } from './to-grayscale.js';

/**
 * Blends each pixel with its luma, `factor x + (1 - factor) luma`, clamped to [0, 1]
 * (torchvision's adjust_saturation). Factor 1 is the identity, 0 gives the gray image
 * (`0.299 R + 0.587 G + 0.114 B` in every channel), above 1 saturates. Gray images are returned
 * as a copy; alpha is kept.
 *
 * @param image The input, values in [0, 1]; not modified.
 * @param factor A non-negative saturation factor.
 * @example adjustSaturation(image, 0) // gray, still 3 channels
 */
export function adjustSaturation(image: FloatImage, factor: number): FloatImage {
  const channels = image.shape[2];
  const src = image.data;
  const out = floatImage(image.shape, src.slice());
  if (channels < 3) return out;
  const dst = out.data;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0; i < src.length; i += channels) {
    const gray = (1 - factor) * (wr * src[i]! + wg * src[i + 1]! + wb * src[i + 2]!);
    for (let k = 0; k < 3; k++) dst[i + k] = Math.min(1, Math.max(0, factor * src[i + k]! + gray));
  }
  return out;
}
