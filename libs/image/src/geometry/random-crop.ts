import { z } from 'zod';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { fill, pixels } from '../transforms/option-schemas.js';
import { cropImage } from './crop-image.js';

/**
 * Cuts a `height` x `width` window at a uniformly drawn position, exactly, after padding the
 * image by `padding` pixels of `fill` on every side (the CIFAR recipe: pad 4, crop 32). A window
 * larger than the padded image is padded further, as a centre crop would be.
 *
 * @param options `height`, `width` in pixels; `padding` (default 0); `fill` (default 0).
 * @example randomCrop({ height: 32, width: 32, padding: 4 })
 */
export const randomCrop = defineImageTransform(
  'random-crop',
  z.strictObject({ height: pixels, width: pixels, padding: z.int().min(0).default(0), fill }),
  (o) => (image, rng) => {
    const [h, w] = image.shape;
    const place = (size: number, window: number): number => {
      const slack = size + 2 * o.padding - window;
      return slack >= 0 ? rng.int(0, slack) - o.padding : Math.floor(slack / 2) - o.padding;
    };
    const top = place(h, o.height);
    const left = place(w, o.width);
    return cropImage(image, { top, left, height: o.height, width: o.width }, o.fill);
  },
);
