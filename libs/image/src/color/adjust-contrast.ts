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
  const channels = image.shape[2];
  const colors = colorChannelCount(channels);
  const src = image.data;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  let sum = 0;
  if (colors === 1) for (let i = 0; i < src.length; i += channels) sum += src[i]!;
  else for (let i = 0; i < src.length; i += channels) sum += wr * src[i]! + wg * src[i + 1]! + wb * src[i + 2]!;
  const offset = (1 - factor) * (sum / (src.length / channels));
  const out = floatImage(image.shape, src.slice());
  const dst = out.data;
  for (let i = 0; i < src.length; i += channels) {
    for (let k = 0; k < colors; k++) dst[i + k] = Math.min(1, Math.max(0, factor * src[i + k]! + offset));
  }
  return out;
}
