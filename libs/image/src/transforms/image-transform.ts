import { ConfigError, Registry } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import type { FloatImage } from '../image/float-image.js';

/** The serialized form of an {@link ImageTransform}: plain JSON tagged by its registered `kind`. */
export interface ImageTransformConfig {
  kind: string;
  [field: string]: unknown;
}

/**
 * One step of an image pipeline: an augmentation (random, drawing from the `Rng` it is given), a
 * crop, a resize or a normalization. Transforms are pure: the same image and the same Rng state
 * give the same output, and the input image is never modified.
 *
 * @example
 * const t = randomRotation({ degrees: 15 });
 * const out = t.apply(image, Rng.stream(seed, { purpose: 'augment', rank }));
 * const again = imageTransformFromConfig(JSON.parse(JSON.stringify(t.getConfig())));
 */
export interface ImageTransform {
  /** The registered kind (`random-rotation`, `compose`, ...). */
  readonly kind: string;
  /**
   * Transforms `image` into a new image.
   *
   * @param image The input, not modified.
   * @param rng The random stream it draws from (deterministic transforms ignore it).
   */
  apply(image: FloatImage, rng: Rng): FloatImage;
  /** The transform's options with defaults filled in, as plain JSON; `imageTransformFromConfig` rebuilds it. */
  getConfig(): ImageTransformConfig;
}

/** Builds a transform from its options (a config without `kind`); validates them. */
export type ImageTransformFactory = (options: Record<string, unknown>) => ImageTransform;

/**
 * Builders of image transforms by kind, filled by this lib's registration file; add your own
 * (made with `defineImageTransform`) under a new name.
 *
 * @example imageTransforms.register(sepia.kind, (options) => sepia(options));
 */
export const imageTransforms = new Registry<ImageTransformFactory>('image transform');

/**
 * Rebuilds a transform (or a whole `compose` pipeline) from {@link ImageTransform.getConfig} output.
 *
 * @param config A config: `{ kind, ...options }`.
 * @throws ConfigError on an unknown kind (listing the known ones) or invalid options.
 * @example
 * const augment = imageTransformFromConfig({ kind: 'random-horizontal-flip', p: 0.5 });
 */
export function imageTransformFromConfig(config: unknown): ImageTransform {
  const kind = (config as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') {
    throw new ConfigError({
      op: 'image.imageTransformFromConfig',
      expected: 'an object with a string kind',
      received: JSON.stringify(config),
      hint: `known kinds: ${imageTransforms.list().join(', ')}`,
    });
  }
  const { kind: _, ...options } = config as ImageTransformConfig;
  return imageTransforms.get(kind)(options);
}
