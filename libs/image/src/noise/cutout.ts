import { z } from 'zod';
import { floatImage } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { fill, fillValues, pixels } from '../transforms/option-schemas.js';

/**
 * Erases `holes` rectangles of `height` x `width` pixels, each placed uniformly where it fits
 * inside the image (clamped to the image when larger), setting every channel to `fill`
 * (DeVries & Taylor's cutout). Holes may overlap.
 *
 * @param options `height`, `width` in pixels; `holes` (default 1); `fill` (default 0).
 * @example cutout({ height: 16, width: 16 })
 */
export const cutout = defineImageTransform(
  'cutout',
  z.strictObject({ height: pixels, width: pixels, holes: z.int().min(0).default(1), fill }),
  (o) => (image, rng) => {
    const [h, w, ch] = image.shape;
    const out = floatImage(image.shape, image.data.slice());
    const values = fillValues(o.fill, ch, 'image.cutout');
    const holeH = Math.min(h, o.height);
    const holeW = Math.min(w, o.width);
    for (let n = 0; n < o.holes; n++) {
      const top = rng.int(0, h - holeH);
      const left = rng.int(0, w - holeW);
      for (let y = top; y < top + holeH; y++) {
        for (let x = left; x < left + holeW; x++) out.data.set(values, (y * w + x) * ch);
      }
    }
    return out;
  },
);
