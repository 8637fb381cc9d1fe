import { z } from 'zod';
import type { Rng } from '@omnitrain/core';
import { colorChannelCount, floatImage } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { interval, uniform } from '../transforms/option-schemas.js';

const GaussianNoiseSchema = z.strictObject({
  /** Standard deviation of the noise: a number, or a range `[lo, hi]` to draw it from per image. */
  std: interval((n) => [n, n], 0),
  /** Mean of the noise. Default 0. */
  mean: z.number().default(0),
  /** Clamp the result to [0, 1]. Default true. */
  clip: z.boolean().default(true),
});

/**
 * Adds independent Gaussian noise N(mean, std^2) to every colour value (alpha is kept), then
 * clamps to [0, 1] unless `clip` is false.
 *
 * @param options `std` (number or `[lo, hi]`), `mean` (default 0), `clip` (default true).
 * @example gaussianNoise({ std: 0.05 })
 */
export const gaussianNoise = defineImageTransform('gaussian-noise', GaussianNoiseSchema, (o) => (image, rng) => {
  const channels = image.shape[2];
  const colors = colorChannelCount(channels);
  const std = uniform(rng, o.std);
  const src = image.data;
  const out = floatImage(image.shape, src.slice());
  const dst = out.data;
  const noise = normals(rng, (src.length / channels) * colors);
  const lo = o.clip ? 0 : -Infinity;
  const hi = o.clip ? 1 : Infinity;
  for (let i = 0, n = 0; i < src.length; i += channels) {
    for (let k = 0; k < colors; k++) dst[i + k] = Math.min(hi, Math.max(lo, src[i + k]! + o.mean + std * noise[n++]!));
  }
  return out;
});

/**
 * `count` standard normal draws by Marsaglia's polar method on 32-bit uniforms: two normals per
 * accepted pair, no trigonometry, one generator step per uniform. About 4x faster than
 * `rng.normal()` (Box-Muller on 53-bit floats, one of its two normals discarded), which matters
 * for the 150k values of a 224x224 RGB image.
 */
function normals(rng: Rng, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; ) {
    const u = rng.uint32() * TWO_TO_MINUS_31 - 1;
    const v = rng.uint32() * TWO_TO_MINUS_31 - 1;
    const s = u * u + v * v;
    if (s >= 1 || s === 0) continue;
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * m;
    if (i < count) out[i++] = v * m;
  }
  return out;
}

const TWO_TO_MINUS_31 = 2 ** -31;
