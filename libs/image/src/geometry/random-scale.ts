import { z } from 'zod';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { fill, interval, uniform } from '../transforms/option-schemas.js';
import { centeredAffine } from './centered-affine.js';
import { warpAffine } from './warp-affine.js';

const RandomScaleSchema = z.strictObject({
  /** Zoom factor range `[lo, hi]`, both > 0 (2 doubles the content's size), or `n` for `[1 - n, 1 + n]`. */
  scale: interval((n) => [1 - n, 1 + n], 0).refine(([lo]) => lo > 0, { message: 'scale factors must be > 0' }),
  /** Value of pixels that come from outside the image (when zooming out). Default 0. */
  fill,
});

/**
 * Zooms the image's content about its centre by a factor drawn uniformly from `scale`, keeping
 * the image's size, with bilinear sampling.
 *
 * @param options `scale` (`[lo, hi]`, or `n` for `[1 - n, 1 + n]`), `fill` (default 0).
 * @example randomScale({ scale: [0.9, 1.1] })
 */
export const randomScale = defineImageTransform('random-scale', RandomScaleSchema, (o) => (image, rng) =>
  warpAffine(image, centeredAffine(image.shape, { scale: uniform(rng, o.scale) }), { fill: o.fill }),
);
