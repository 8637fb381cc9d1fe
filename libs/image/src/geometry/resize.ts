import { z } from 'zod';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { pixels } from '../transforms/option-schemas.js';
import { resizeImage } from './resize-image.js';

/**
 * Resizes to `height` x `width` (see `resizeImage`: bilinear, antialiased when shrinking).
 *
 * @param options `height`, `width` in pixels; `antialias` (default true).
 * @example compose([resize({ height: 256, width: 256 }), centerCrop({ height: 224, width: 224 })])
 */
export const resize = defineImageTransform(
  'resize',
  z.strictObject({ height: pixels, width: pixels, antialias: z.boolean().default(true) }),
  (o) => (image) => resizeImage(image, o),
);
