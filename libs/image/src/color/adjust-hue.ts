import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { hueTurns, rotateHue } from './rotate-hue.js';

/**
 * Rotates every pixel's hue by `degrees` in HSV space, keeping saturation and value
 * (torchvision's adjust_hue, with the shift in degrees instead of turns). A multiple of 360 is
 * the identity; 120 maps red to green, green to blue and blue to red. Gray images are returned as
 * a copy; alpha is kept.
 *
 * @param image The input, values in [0, 1]; not modified.
 * @param degrees The hue shift.
 * @example adjustHue(image, 30)
 */
export function adjustHue(image: FloatImage, degrees: number): FloatImage {
  const out = floatImage(image.shape, image.data.slice());
  hueInPlace(out, degrees);
  return out;
}

/** {@link adjustHue} writing into `image` itself (each pixel reads only itself). */
export function hueInPlace(image: FloatImage, degrees: number): void {
  const channels = image.shape[2];
  const d = image.data;
  const shift = hueTurns(degrees);
  if (channels < 3 || shift === 0) return;
  const rgb = new Float64Array(3);
  for (let i = 0; i < d.length; i += channels) {
    rotateHue(rgb, d[i]!, d[i + 1]!, d[i + 2]!, shift);
    d[i] = rgb[0]!;
    d[i + 1] = rgb[1]!;
    d[i + 2] = rgb[2]!;
  }
}
