import { z } from 'zod';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { fill, interval, symmetric, uniform } from '../transforms/option-schemas.js';
import { centeredAffine } from './centered-affine.js';
import { warpAffine } from './warp-affine.js';

const RandomTranslationSchema = z.strictObject({
  /** Rightward shift range `[lo, hi]`, or `n` for `[-n, n]`. Default `[0, 0]`. */
  x: interval(symmetric).default([0, 0]),
  /** Downward shift range `[lo, hi]`, or `n` for `[-n, n]`. Default `[0, 0]`. */
  y: interval(symmetric).default([0, 0]),
  /** `fraction`: shifts are fractions of the width and height; `pixels`: in pixels. Default `fraction`. */
  unit: z.enum(['fraction', 'pixels']).default('fraction'),
  /** Round each shift to whole pixels, so no resampling blurs the image. Default false. */
  round: z.boolean().default(false),
  /** Value of pixels that come from outside the image. Default 0. */
  fill,
});

/**
 * Shifts the image's content by amounts drawn uniformly from `x` and `y`, keeping its size;
 * whole-pixel shifts move pixels exactly, others are bilinear.
 *
 * @param options `x`, `y` (default `[0, 0]`), `unit` (default `fraction`), `round` (default false), `fill` (default 0).
 * @example
 * randomTranslation({ x: 0.1, y: 0.1 }); // up to 10% of the size each way
 * randomTranslation({ x: [3, 3], unit: 'pixels' }); // exactly 3 pixels right
 */
export const randomTranslation = defineImageTransform('random-translation', RandomTranslationSchema, (o) => (image, rng) => {
  const [h, w] = image.shape;
  let dx = uniform(rng, o.x) * (o.unit === 'fraction' ? w : 1);
  let dy = uniform(rng, o.y) * (o.unit === 'fraction' ? h : 1);
  if (o.round) [dx, dy] = [Math.round(dx), Math.round(dy)];
  return warpAffine(image, centeredAffine(image.shape, { translate: [dx, dy] }), { fill: o.fill });
});
