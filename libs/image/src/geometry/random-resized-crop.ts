import { z } from 'zod';
import type { Rng } from '@omnitrain/core';
import type { ImageShape } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { interval, pixels, uniform } from '../transforms/option-schemas.js';
import type { Interval } from '../transforms/option-schemas.js';
import type { CropBox } from './crop-image.js';
import { resizeImage } from './resize-image.js';

const RandomResizedCropSchema = z.strictObject({
  /** Output height in pixels. */
  height: pixels,
  /** Output width in pixels. */
  width: pixels,
  /** Range of the crop's area as a fraction of the image's. Default `[0.08, 1]`. */
  scale: interval((n) => [n, n], 0)
    .refine(([lo, hi]) => lo > 0 && hi <= 1, { message: 'scale must lie in (0, 1]' })
    .default([0.08, 1]),
  /** Range of the crop's width / height, drawn log-uniformly. Default `[3/4, 4/3]`. */
  ratio: interval((n) => [n, n], 0)
    .refine(([lo]) => lo > 0, { message: 'ratio must be > 0' })
    .default([3 / 4, 4 / 3]),
  /** Average every covered pixel when the crop shrinks (see resizeImage). Default true. */
  antialias: z.boolean().default(true),
});

/**
 * Crops a random region of random area and aspect ratio and resizes it to `height` x `width`
 * (Inception-style, torchvision's RandomResizedCrop: ten tries to fit a region, then a centre
 * crop of the clamped ratio).
 *
 * @param options `height`, `width`; `scale` (default `[0.08, 1]`); `ratio` (default `[3/4, 4/3]`); `antialias` (default true).
 * @example randomResizedCrop({ height: 224, width: 224 })
 */
export const randomResizedCrop = defineImageTransform('random-resized-crop', RandomResizedCropSchema, (o) => (image, rng) =>
  resizeImage(image, { height: o.height, width: o.width, antialias: o.antialias, box: cropRegion(image.shape, o.scale, o.ratio, rng) }),
);

/**
 * Draws a random resized crop's source region from `rng` (the one place it is drawn, shared with
 * compose's fused fast path): up to ten tries at a random area and log-uniform aspect ratio,
 * then a centre crop of the clamped ratio.
 *
 * @param shape The image's shape (height and width are read).
 * @param scale The area range as a fraction of the image's.
 * @param ratio The width / height range.
 * @param rng The stream to draw from.
 * @example cropRegion([224, 224, 3], [0.08, 1], [3 / 4, 4 / 3], rng) // { top: 12, left: 40, height: 150, width: 131 }
 */
export function cropRegion([h, w]: ImageShape, scale: Interval, ratio: Interval, rng: Rng): CropBox {
  const area = h * w;
  const logRatio: Interval = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * uniform(rng, scale);
    const aspect = Math.exp(uniform(rng, logRatio));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
      return { top: rng.int(0, h - ch), left: rng.int(0, w - cw), height: ch, width: cw };
    }
  }
  const aspect = w / h;
  const [cw, ch] =
    aspect < ratio[0] ? [w, Math.round(w / ratio[0])] : aspect > ratio[1] ? [Math.round(h * ratio[1]), h] : [w, h];
  return { top: Math.floor((h - ch) / 2), left: Math.floor((w - cw) / 2), height: ch, width: cw };
}
