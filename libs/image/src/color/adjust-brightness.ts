import { colorChannelCount, floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';

/**
 * Multiplies the colour channels by `factor` and clamps to [0, 1] (torchvision's
 * adjust_brightness); alpha is kept. Factor 1 is the identity, 0 gives black.
 *
 * @param image The input, values in [0, 1]; not modified.
 * @param factor A non-negative multiplier.
 * @example adjustBrightness(image, 1.2) // 20% brighter
 */
export function adjustBrightness(image: FloatImage, factor: number): FloatImage {
  const channels = image.shape[2];
  const colors = colorChannelCount(channels);
  const src = image.data;
  const out = floatImage(image.shape, src.slice());
  const dst = out.data;
  for (let i = 0; i < src.length; i += channels) {
    for (let k = 0; k < colors; k++) dst[i + k] = Math.min(1, Math.max(0, src[i + k]! * factor));
  }
  return out;
}
