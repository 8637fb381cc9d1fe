import { z } from 'zod';
import { ConfigError, Registry } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';

/** The serialized form of a {@link TextAugmentation}: plain JSON tagged by `kind`. */
export interface TextAugmentationConfig {
  kind: string;
  [field: string]: unknown;
}

/**
 * A random change of a text (deleted or swapped words, typos, ...) drawn from the caller's seeded
 * {@link Rng}, so the same stream gives the same text on every run and rank. At probability 0 it
 * returns its input unchanged. Saved with `getConfig`, rebuilt with {@link textAugmentationFromConfig}.
 *
 * @example
 * const rng = Rng.stream(seed, { purpose: 'augment', rank });
 * const noisy = new TextAugmentChain([new RandomDeletion({ p: 0.1 }), new CharacterNoise({ p: 0.05 })]).apply(text, rng);
 */
export interface TextAugmentation {
  /** The registered kind (`random-deletion`, `character-noise`, `chain`, ...). */
  readonly kind: string;
  /** Returns the changed text; draws only from `rng`. */
  apply(text: string, rng: Rng): string;
  /** The parameters, as plain JSON. */
  getConfig(): TextAugmentationConfig;
}

/** A probability in [0, 1], as augmentation schemas spell it. */
export const probabilitySchema = z.number().min(0).max(1);

/**
 * Rebuilders of text augmentations, by kind. This lib registers its own in its registration file;
 * others add theirs the same way.
 *
 * @example textAugmentations.register('back-translation', (c) => BackTranslation.fromConfig(c));
 */
export const textAugmentations = new Registry<(config: TextAugmentationConfig) => TextAugmentation>('text augmentation');

/**
 * Rebuilds a text augmentation (or a whole chain) from its {@link TextAugmentation.getConfig} output.
 *
 * @param config Plain JSON with a `kind`.
 * @throws ConfigError on an unknown kind (listing the known ones) or malformed fields.
 * @example textAugmentationFromConfig({ kind: 'random-swap', p: 0.2 }).apply('a b c', rng);
 */
export function textAugmentationFromConfig(config: TextAugmentationConfig): TextAugmentation {
  if (typeof config?.kind !== 'string') {
    throw new ConfigError({
      op: 'text.textAugmentationFromConfig',
      expected: 'an object with a string kind',
      received: JSON.stringify(config),
      hint: `kinds: ${textAugmentations.list().join(', ')}`,
    });
  }
  return textAugmentations.get(config.kind)(config);
}
