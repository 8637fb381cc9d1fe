import { DataError } from '@omnitrain/core';
import { tensor4d } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { FloatImage } from './float-image.js';

/**
 * Stacks images of one shape into a `[batch, height, width, channels]` float32 tensor.
 *
 * @param images At least one image, all of the same shape.
 * @throws DataError when there are none or their shapes differ (naming the first that differs).
 * @example const x = toBatchTensor(batch.map((img) => augment.apply(img, rng)));
 */
export function toBatchTensor(images: readonly FloatImage[]): Tensor4D {
  const first = images[0];
  if (first === undefined) {
    throw new DataError({ op: 'image.toBatchTensor', expected: 'at least one image', received: 'none' });
  }
  const [h, w, c] = first.shape;
  const size = h * w * c;
  const data = new Float32Array(images.length * size);
  images.forEach((image, i) => {
    if (image.shape[0] !== h || image.shape[1] !== w || image.shape[2] !== c) {
      throw new DataError({
        op: 'image.toBatchTensor',
        expected: `every image of shape [${first.shape.join(', ')}]`,
        received: `shape [${image.shape.join(', ')}] at index ${i}`,
        hint: 'resize or crop to one size before batching',
      });
    }
    data.set(image.data, i * size);
  });
  return tensor4d(data, [images.length, h, w, c], 'float32');
}
