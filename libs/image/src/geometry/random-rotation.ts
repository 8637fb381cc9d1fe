import { z } from 'zod';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { fill, interval, symmetric, uniform } from '../transforms/option-schemas.js';
import { centeredAffine } from './centered-affine.js';
import { warpAffine } from './warp-affine.js';

const RandomRotationSchema = z.strictObject({
  /** Angle range in degrees, counter-clockwise: `[lo, hi]`, or `n` for `[-n, n]`. */
  degrees: interval(symmetric),
  /** Value of the corners that come from outside the image. Default 0. */
  fill,
});

/**
 * Rotates the image about its centre by an angle drawn uniformly from `degrees`
 * (counter-clockwise), keeping its size, with bilinear sampling; quarter turns are exact.
 *
 * @param options `degrees` (`[lo, hi]` or `n` for `[-n, n]`), `fill` (default 0).
 * @example
 * const rotate = randomRotation({ degrees: 15 }); // angle in [-15, 15]
 * const quarter = randomRotation({ degrees: [90, 90] });
 */
export const randomRotation = defineImageTransform('random-rotation', RandomRotationSchema, (o) => (image, rng) =>
  warpAffine(image, centeredAffine(image.shape, { degrees: uniform(rng, o.degrees) }), { fill: o.fill }),
);
