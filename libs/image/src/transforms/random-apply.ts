import { ConfigError } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { compose } from './compose.js';
import type { TransformLike } from './compose.js';
import type { ImageTransform } from './image-transform.js';

/**
 * Applies a chain of transforms with probability `p`, else returns a copy (torchvision's
 * RandomApply). Config: `{ kind: 'random-apply', p, steps: [...] }`.
 *
 * @param steps The transforms, or their configs, applied in order.
 * @param p The probability of applying them, in [0, 1]. Default 0.5.
 * @throws ConfigError when p is outside [0, 1].
 * @example randomApply([randomRotation({ degrees: 10 })], 0.3)
 */
export function randomApply(steps: readonly TransformLike[], p = 0.5): ImageTransform {
  if (!(p >= 0 && p <= 1)) {
    throw new ConfigError({ op: 'image.randomApply', expected: 'p in [0, 1]', received: String(p) });
  }
  const chain = compose(steps);
  return {
    kind: 'random-apply',
    apply: (image: FloatImage, rng: Rng): FloatImage =>
      rng.float() < p ? chain.apply(image, rng) : floatImage(image.shape, image.data.slice()),
    getConfig: () => ({ kind: 'random-apply', p, steps: chain.getConfig().steps }),
  };
}
