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
  const out = floatImage(image.shape, image.data.slice());
  saturationInPlace(out, factor);
  return out;
}

/** {@link adjustSaturation} writing into `image` itself (each pixel reads only itself). */
export function saturationInPlace(image: FloatImage, factor: number): void {
  const channels = image.shape[2];
  if (channels < 3) return;
  const d = image.data;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0; i < d.length; i += channels) {
    const r = d[i]!;
    const g = d[i + 1]!;
    const b = d[i + 2]!;
    const gray = (1 - factor) * (wr * r + wg * g + wb * b);
    d[i] = Math.min(1, Math.max(0, factor * r + gray));
    d[i + 1] = Math.min(1, Math.max(0, factor * g + gray));
    d[i + 2] = Math.min(1, Math.max(0, factor * b + gray));
  }
}
