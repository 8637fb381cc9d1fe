import { DataError } from '@omnitrain/core';

/** `[height, width, channels]`, the shape of a {@link FloatImage} and of its tensor. */
export type ImageShape = readonly [height: number, width: number, channels: number];

/**
 * A decoded image: float pixel values laid out height x width x channels (HWC, row-major), as
 * `decodeImage` returns them in [0, 1]. Channels are 1 (gray), 2 (gray + alpha), 3 (RGB) or
 * 4 (RGB + alpha); alpha, when present, is last. Transforms never modify an image in place: they
 * return a new one.
 *
 * @example
 * const img = await decodeImage('cat.png'); // { data: Float32Array(h * w * 3), shape: [h, w, 3] }
 * const [height, width, channels] = img.shape;
 * const red = img.data[(y * width + x) * channels + 0];
 */
export interface FloatImage {
  /** Pixel values, index `(y * width + x) * channels + c`. */
  readonly data: Float32Array;
  /** `[height, width, channels]`. */
  readonly shape: ImageShape;
}

/**
 * Makes a {@link FloatImage} from a shape and, optionally, its pixel values (zeros when omitted),
 * checking that they agree.
 *
 * @param shape `[height, width, channels]`: positive integers, 1 to 4 channels.
 * @param data The pixel values, HWC; used as is, not copied. Default: a new zero-filled array.
 * @throws DataError when the shape is invalid or `data` has the wrong length.
 * @example
 * const gray = floatImage([2, 3, 1], Float32Array.of(0, 0.5, 1, 1, 0.5, 0));
 * const black = floatImage([224, 224, 3]);
 */
export function floatImage(shape: ImageShape, data?: Float32Array): FloatImage {
  const [height, width, channels] = shape;
  const valid = [height, width].every((n) => Number.isInteger(n) && n > 0) && [1, 2, 3, 4].includes(channels);
  if (!valid) {
    throw new DataError({
      op: 'image.floatImage',
      expected: 'a shape [height, width, channels] of positive integers with 1 to 4 channels',
      received: `[${shape.join(', ')}]`,
    });
  }
  const size = height * width * channels;
  if (data !== undefined && data.length !== size) {
    throw new DataError({
      op: 'image.floatImage',
      expected: `${size} values for shape [${shape.join(', ')}]`,
      received: `${data.length} values`,
    });
  }
  return { data: data ?? new Float32Array(size), shape: [height, width, channels] };
}

/**
 * The number of colour channels of an image with `channels` channels: 1 for gray (+ alpha), 3 for
 * RGB (+ alpha). Colour transforms change these and leave alpha alone.
 */
export function colorChannelCount(channels: number): 1 | 3 {
  return channels >= 3 ? 3 : 1;
}
