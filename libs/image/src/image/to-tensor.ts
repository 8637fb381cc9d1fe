import { tensor3d } from '@tensorflow/tfjs-core';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import type { FloatImage } from './float-image.js';

/**
 * The image as a `[height, width, channels]` float32 tensor on the current tfjs backend (the
 * caller disposes it, or creates it inside `tf.tidy`).
 *
 * @param image The image (typically after `normalize`).
 * @example
 * const x = toTensor(compose([centerCrop({ height: 224, width: 224 }), normalize(imagenet)]).apply(img, rng));
 */
export function toTensor(image: FloatImage): Tensor3D {
  return tensor3d(image.data, [...image.shape], 'float32');
}
