import type { Rng } from '@omnitrain/core';
import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { fuseSteps } from './fuse-steps.js';
import { imageTransformFromConfig } from './image-transform.js';
import type { ImageTransform, ImageTransformConfig } from './image-transform.js';

/**
 * A transform or its config, as pipelines accept them.
 *
 * @example const step: TransformLike = { kind: 'random-horizontal-flip', p: 0.5 };
 */
export type TransformLike = ImageTransform | ImageTransformConfig;

/** Builds `item` if it is a config, else returns it. */
export function toTransform(item: TransformLike): ImageTransform {
  return typeof (item as ImageTransform).apply === 'function' ? (item as ImageTransform) : imageTransformFromConfig(item);
}

/**
 * Chains transforms: each gets the previous one's output and the same Rng, so the pipeline is as
 * deterministic as its steps; runs that start with a random resized crop execute fused (see
 * fuseSteps: the same values, one pass over the output pixels). Its config nests theirs: `{ kind: 'compose', steps: [...] }` (as audio's compose).
 *
 * @param steps The transforms, or their configs, applied in order.
 * @example
 * const train = compose([
 *   randomResizedCrop({ height: 224, width: 224 }),
 *   randomHorizontalFlip(),
 *   colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4 }),
 *   normalize({ mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] }),
 * ]);
 * const out = train.apply(await decodeImage(path), rng);
 */
export function compose(steps: readonly TransformLike[]): ImageTransform {
  const built = steps.map(toTransform);
  // Runs such as randomResizedCrop -> flip -> colorJitter -> normalize execute as one fused pass (same values).
  const run = fuseSteps(built);
  return {
    kind: 'compose',
    apply(image: FloatImage, rng: Rng): FloatImage {
      let out = image;
      for (const step of run) out = step.apply(out, rng);
      return out === image ? floatImage(image.shape, image.data.slice()) : out;
    },
    getConfig: () => ({ kind: 'compose', steps: built.map((s) => s.getConfig()) }),
  };
}
