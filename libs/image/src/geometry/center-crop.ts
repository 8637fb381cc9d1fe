import { z } from 'zod';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { fill, pixels } from '../transforms/option-schemas.js';
import { cropImage } from './crop-image.js';

/**
 * Cuts the central `height` x `width` window (exact; a window larger than the image is padded
 * with `fill`, as torchvision's CenterCrop pads). Odd margins leave the extra pixel at the bottom
 * and right.
 *
 * @param options `height`, `width` in pixels; `fill` (default 0).
 * @example centerCrop({ height: 224, width: 224 })
 */
export const centerCrop = defineImageTransform(
  'center-crop',
  z.strictObject({ height: pixels, width: pixels, fill }),
  (o) => (image) => {
    const [h, w] = image.shape;
    const top = Math.floor((h - o.height) / 2);
    const left = Math.floor((w - o.width) / 2);
    return cropImage(image, { top, left, height: o.height, width: o.width }, o.fill);
  },
);
