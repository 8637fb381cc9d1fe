import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { probabilitySchema } from './text-augmentation.js';
import type { TextAugmentation } from './text-augmentation.js';
import { splitWords } from './split-words.js';

const RandomDeletionSchema = z.strictObject({
  kind: z.literal('random-deletion'),
  p: probabilitySchema.describe('Chance that each word is deleted.'),
});

/** The saved form of a {@link RandomDeletion}. */
export type RandomDeletionConfig = z.output<typeof RandomDeletionSchema>;

/**
 * Deletes each word with probability `p` (EDA's random deletion); when every word would go, one
 * word, drawn at random, stays. A text left whole is returned unchanged.
 *
 * @example new RandomDeletion({ p: 0.2 }).apply('the cat sat on the mat', rng) // 'the cat on the mat', say
 */
export class RandomDeletion implements TextAugmentation {
  readonly kind = 'random-deletion';
  readonly p: number;

  /** @param options `p`: chance that each word is deleted, in [0, 1]. */
  constructor(options: { p: number }) {
    this.p = loadConfigObject({ kind: this.kind, ...options }, RandomDeletionSchema, { source: 'RandomDeletion' }).p;
  }

  /** Rebuilds it from {@link RandomDeletion.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): RandomDeletion {
    return new RandomDeletion(loadConfigObject(config, RandomDeletionSchema, { source: 'RandomDeletion.fromConfig' }));
  }

  apply(text: string, rng: Rng): string {
    const words = splitWords(text);
    if (this.p === 0 || words.length === 0) return text;
    const kept = words.filter(() => !rng.bernoulli(this.p));
    if (kept.length === words.length) return text;
    return kept.length > 0 ? kept.join(' ') : words[rng.int(0, words.length - 1)]!;
  }

  getConfig(): RandomDeletionConfig {
    return { kind: this.kind, p: this.p };
  }
}
