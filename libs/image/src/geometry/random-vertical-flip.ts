import { z } from 'zod';
import { floatImage } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { probability } from '../transforms/option-schemas.js';
import { flipVertical } from './flip-vertical.js';

/**
 * Mirrors the image top to bottom with probability `p` (otherwise returns a copy).
 *
 * @param options `p`, the probability of flipping. Default 0.5.
 * @example randomVerticalFlip({ p: 0.1 })
 */
export const randomVerticalFlip = defineImageTransform(
  'random-vertical-flip',
  z.strictObject({ p: probability.default(0.5) }),
  (o) => (image, rng) => (rng.float() < o.p ? flipVertical(image) : floatImage(image.shape, image.data.slice())),
);
