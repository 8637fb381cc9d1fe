import { z } from 'zod';
import { floatImage } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { probability } from '../transforms/option-schemas.js';
import { flipHorizontal } from './flip-horizontal.js';

/**
 * Mirrors the image left to right with probability `p` (otherwise returns a copy).
 *
 * @param options `p`, the probability of flipping. Default 0.5.
 * @example randomHorizontalFlip() // p = 0.5
 */
export const randomHorizontalFlip = defineImageTransform(
  'random-horizontal-flip',
  z.strictObject({ p: probability.default(0.5) }),
  (o) => (image, rng) => (rng.float() < o.p ? flipHorizontal(image) : floatImage(image.shape, image.data.slice())),
);
