import { colorChannelCount, floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { LUMA_WEIGHTS } from './to-grayscale.js';

/**
 * Blends the image with its mean gray level, `factor x + (1 - factor) mean`, clamped to [0, 1]
 * (torchvision's adjust_contrast; the mean is of the luma over the whole image). Factor 1 is the
 * identity, 0 gives a uniform gray; alpha is kept.
 *
 * @param image The input, values in [0, 1]; not modified.
 * @param factor A non-negative contrast factor.
 * @example adjustContrast(image, 0.8)
 */
export function adjustContrast(image: FloatImage, factor: number): FloatImage {
  const out = floatImage(image.shape, image.data.slice());
  contrastInPlace(out, factor);
  return out;
}

/** {@link adjustContrast} writing into `image` itself (the mean luma is taken before any write). */
export function contrastInPlace(image: FloatImage, factor: number): void {
  const channels = image.shape[2];
  const colors = colorChannelCount(channels);
  const d = image.data;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  let sum = 0;
  if (colors === 1) for (let i = 0; i < d.length; i += channels) sum += d[i]!;
  else for (let i = 0; i < d.length; i += channels) sum += wr * d[i]! + wg * d[i + 1]! + wb * d[i + 2]!;
  const offset = (1 - factor) * (sum / (d.length / channels));
  for (let i = 0; i < d.length; i += channels) {
    for (let k = 0; k < colors; k++) d[i + k] = Math.min(1, Math.max(0, factor * d[i + k]! + offset));
  }
}
