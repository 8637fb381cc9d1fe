import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';

// Per hue sector, which of (v, p, q, t) is red, green and blue (the HSV -> RGB hexcone).
const SECTORS = [[0, 3, 1], [2, 0, 1], [1, 0, 3], [1, 2, 0], [3, 1, 0], [0, 1, 2]] as const;

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
  const shift = (((degrees % 360) + 360) % 360) / 360;
  if (channels < 3 || shift === 0) return;
  const corners = new Float64Array(4);
  for (let i = 0; i < d.length; i += channels) {
    const r = d[i]!;
    const g = d[i + 1]!;
    const b = d[i + 2]!;
    const v = Math.max(r, g, b);
    const delta = v - Math.min(r, g, b);
    if (delta === 0) continue; // gray pixels have no hue
    const s = delta / v;
    let h = v === r ? (g - b) / delta : v === g ? (b - r) / delta + 2 : (r - g) / delta + 4; // in sixths, [-1, 5)
    h = (h / 6 + shift + 1) % 1;
    const index = Math.floor(h * 6);
    const f = h * 6 - index;
    const sector = SECTORS[index % 6]!;
    corners[0] = v;
    corners[1] = v * (1 - s); // p
    corners[2] = v * (1 - s * f); // q
    corners[3] = v * (1 - s * (1 - f)); // t
    d[i] = corners[sector[0]]!;
    d[i + 1] = corners[sector[1]]!;
    d[i + 2] = corners[sector[2]]!;
  }
}
