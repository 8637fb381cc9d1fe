import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { fillValues } from '../transforms/option-schemas.js';

/**
 * An affine map from output pixel `(x, y)` to source point
 * `(a x + b y + c, d x + e y + f)`, as `[a, b, c, d, e, f]`. Pixel `(x, y)` is the centre of
 * column x, row y, so `[1, 0, 0, 0, 1, 0]` is the identity.
 */
export type AffineMatrix = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/** Options of {@link warpAffine}. */
export interface WarpAffineOptions {
  /** Value of output pixels whose source lies outside the image: one number, or one per channel. Default 0. */
  fill?: number | readonly number[];
  /** Output height. Default: the input's. */
  height?: number;
  /** Output width. Default: the input's. */
  width?: number;
}

/**
 * Resamples an image through an affine map with bilinear interpolation: output pixel `(x, y)`
 * takes the value at source point `inverse(x, y)`, interpolated from its four neighbours, a
 * neighbour outside the image counting as `fill`. Exact where the source point is a pixel centre
 * (identity, integer shifts, quarter turns), and exact on images that are linear in x and y.
 *
 * @param image The input, not modified.
 * @param inverse The map from output to source coordinates (see {@link centeredAffine}).
 * @param options Fill value (default 0) and output size (default: the input's).
 * @example
 * const shifted = warpAffine(image, [1, 0, -3, 0, 1, 0]); // content moves 3 pixels right
 */
export function warpAffine(image: FloatImage, inverse: AffineMatrix, options: WarpAffineOptions = {}): FloatImage {
  const [h, w, ch] = image.shape;
  const outH = options.height ?? h;
  const outW = options.width ?? w;
  const out = floatImage([outH, outW, ch]);
  const fill = fillValues(options.fill ?? 0, ch, 'image.warpAffine');
  const [a, b, c, d, e, f] = inverse;
  const src = image.data;
  const dst = out.data;
  const row = w * ch;
  const tap = (x: number, y: number, k: number): number =>
    x >= 0 && y >= 0 && x < w && y < h ? src[(y * w + x) * ch + k]! : fill[k]!;
  for (let y = 0, o = 0; y < outH; y++) {
    const rowX = b * y + c;
    const rowY = e * y + f;
    for (let x = 0; x < outW; x++, o += ch) {
      const sx = a * x + rowX;
      const sy = d * x + rowY;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      if (x0 >= 0 && y0 >= 0 && x0 < w - 1 && y0 < h - 1) {
        const i00 = (y0 * w + x0) * ch;
        for (let k = 0; k < ch; k++) {
          const p00 = src[i00 + k]!;
          const p10 = src[i00 + row + k]!;
          const top = p00 + fx * (src[i00 + ch + k]! - p00);
          const bottom = p10 + fx * (src[i00 + row + ch + k]! - p10);
          dst[o + k] = top + fy * (bottom - top);
        }
      } else if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
        for (let k = 0; k < ch; k++) dst[o + k] = fill[k]!;
      } else {
        for (let k = 0; k < ch; k++) {
          const p00 = tap(x0, y0, k);
          const p10 = tap(x0, y0 + 1, k);
          const top = p00 + fx * (tap(x0 + 1, y0, k) - p00);
          const bottom = p10 + fx * (tap(x0 + 1, y0 + 1, k) - p10);
          dst[o + k] = top + fy * (bottom - top);
        }
      }
    }
  }
  return out;
}
