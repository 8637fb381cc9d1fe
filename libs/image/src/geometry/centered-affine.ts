import type { ImageShape } from '../image/float-image.js';
import type { AffineMatrix } from './warp-affine.js';

/** The motion {@link centeredAffine} describes; every field defaults to "none". */
export interface CenteredAffineOptions {
  /** Rotation in degrees, counter-clockwise as seen on screen (torchvision's sign). Default 0. */
  degrees?: number;
  /** Zoom factor: 2 doubles the content's size. Default 1. */
  scale?: number;
  /** Shift of the content in pixels, `[right, down]`. Default `[0, 0]`. */
  translate?: readonly [number, number];
}

/**
 * The inverse map (output -> source, for {@link warpAffine}) of rotating and scaling an image's
 * content about its centre, then shifting it. Quarter turns use exact cosines and sines, so
 * rotating by 90 degrees moves pixels exactly.
 *
 * @param shape The image's shape (its centre is `((width - 1) / 2, (height - 1) / 2)`).
 * @param options Degrees (default 0), scale (default 1), translate (default `[0, 0]`).
 * @example
 * const turned = warpAffine(image, centeredAffine(image.shape, { degrees: 30, scale: 1.2 }));
 */
export function centeredAffine(shape: ImageShape, options: CenteredAffineOptions = {}): AffineMatrix {
  const [h, w] = shape;
  const { degrees = 0, scale = 1, translate = [0, 0] } = options;
  const [cos, sin] = cosSinDegrees(degrees);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const ox = cx + translate[0];
  const oy = cy + translate[1];
  // source = centre + R(-angle) (output - centre - translate) / scale, with y pointing down.
  return [
    cos / scale,
    -sin / scale,
    cx - (cos * ox - sin * oy) / scale,
    sin / scale,
    cos / scale,
    cy - (sin * ox + cos * oy) / scale,
  ];
}

const QUARTER_TURNS: ReadonlyArray<readonly [number, number]> = [[1, 0], [0, 1], [-1, 0], [0, -1]];

function cosSinDegrees(degrees: number): readonly [number, number] {
  const quarters = degrees / 90;
  if (Number.isInteger(quarters)) return QUARTER_TURNS[((quarters % 4) + 4) % 4]!;
  const radians = (degrees * Math.PI) / 180;
  return [Math.cos(radians), Math.sin(radians)];
}
