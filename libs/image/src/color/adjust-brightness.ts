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
  const out = floatImage(image.shape, image.data.slice());
  brightnessInPlace(out, factor);
  return out;
}

/** {@link adjustBrightness} writing into `image` itself (chains such as colorJitter copy once). */
export function brightnessInPlace(image: FloatImage, factor: number): void {
  const channels = image.shape[2];
  const colors = colorChannelCount(channels);
  const d = image.data;
  for (let i = 0; i < d.length; i += channels) {
    for (let k = 0; k < colors; k++) d[i + k] = Math.min(1, Math.max(0, d[i + k]! * factor));
  }
}
