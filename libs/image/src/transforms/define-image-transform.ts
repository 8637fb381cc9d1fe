import type { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import type { FloatImage } from '../image/float-image.js';
import type { ImageTransform } from './image-transform.js';

/** A transform constructor made by {@link defineImageTransform}; `kind` is the name it registers under. */
export type ImageTransformDefinition<Options> = ((
  ...options: object extends Options ? [options?: Options] : [options: Options]
) => ImageTransform) & { readonly kind: string };

/**
 * Defines a serializable transform from a kind, a zod options schema (with defaults) and the
 * operation: the constructor validates its options once (ConfigError listing every issue) and the
 * transform's `getConfig()` is `{ kind, ...options with defaults }`, which the constructor accepts back.
 *
 * @param kind The registered name, kebab-case (`random-rotation`).
 * @param schema The options' schema; build it with `z.strictObject` so unknown keys are errors.
 * @param build Given the parsed options, returns the operation `(image, rng) => newImage`.
 * @returns The constructor, with `.kind`.
 * @example
 * export const invert = defineImageTransform('invert', z.strictObject({}), () => (image) =>
 *   floatImage(image.shape, image.data.map((v) => 1 - v)));
 * imageTransforms.register(invert.kind, (o) => invert(o));
 */
export function defineImageTransform<S extends z.ZodType<object>>(
  kind: string,
  schema: S,
  build: (options: z.output<S>) => (image: FloatImage, rng: Rng) => FloatImage,
): ImageTransformDefinition<z.input<S>> {
  const define = (options: unknown = {}): ImageTransform => {
    const parsed = loadConfigObject(options, schema, { source: `image.${kind}` }) as z.output<S>;
    const apply = build(parsed);
    const config = JSON.stringify({ kind, ...parsed });
    return { kind, apply, getConfig: () => JSON.parse(config) };
  };
  return Object.assign(define, { kind }) as ImageTransformDefinition<z.input<S>>;
}
