import { DataError } from '@omnitrain/core';
import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { fillValues } from '../transforms/option-schemas.js';

/** The window {@link cropImage} cuts, in whole pixels; it may reach past the image's borders. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Cuts a window out of an image, exactly (no resampling). Parts of the window outside the image
 * (negative `top`, a window wider than the image, ...) take the fill value, which is how padding
 * crops (`randomCrop` with `padding`) and centre crops larger than the image work.
 *
 * @param image The input, not modified.
 * @param box Top-left corner and size, integers; the size positive.
 * @param fill Value outside the image, one number or one per channel. Default 0.
 * @throws DataError when the box is not made of integers or is empty.
 * @example cropImage(image, { top: 16, left: 16, height: 224, width: 224 })
 */
export function cropImage(image: FloatImage, box: CropBox, fill: number | readonly number[] = 0): FloatImage {
  const { top, left, height, width } = box;
  if (![top, left, height, width].every(Number.isInteger) || height < 1 || width < 1) {
    throw new DataError({
      op: 'image.cropImage',
      expected: 'integer top, left and a positive integer height, width',
      received: JSON.stringify(box),
    });
  }
  const [h, w, ch] = image.shape;
  const out = floatImage([height, width, ch]);
  const inside = top >= 0 && left >= 0 && top + height <= h && left + width <= w;
  if (!inside) {
    const values = fillValues(fill, ch, 'image.cropImage');
    for (let i = 0; i < out.data.length; i += ch) out.data.set(values, i);
  }
  const x0 = Math.max(0, left);
  const x1 = Math.min(w, left + width);
  if (x1 <= x0) return out;
  for (let y = Math.max(0, top); y < Math.min(h, top + height); y++) {
    const from = (y * w + x0) * ch;
    out.data.set(image.data.subarray(from, from + (x1 - x0) * ch), ((y - top) * width + (x0 - left)) * ch);
  }
  return out;
}
