import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { probabilitySchema } from './text-augmentation.js';
import type { TextAugmentation } from './text-augmentation.js';
import { splitWords } from './split-words.js';

const RandomSwapSchema = z.strictObject({
  kind: z.literal('random-swap'),
  p: probabilitySchema.describe('Swaps per word: a text of n words gets p * n swaps (rounded at random).'),
});

/** The saved form of a {@link RandomSwap}. */
export type RandomSwapConfig = z.output<typeof RandomSwapSchema>;

/**
 * Swaps two words at random positions, `p * n` times for a text of `n` words (EDA's random swap);
 * the fractional part of `p * n` is one more swap with that probability, so the expected count is
 * exactly `p * n`. The words themselves never change.
 *
 * @example new RandomSwap({ p: 0.5 }).apply('hello world', rng) // 'world hello'
 */
export class RandomSwap implements TextAugmentation {
  readonly kind = 'random-swap';
  readonly p: number;

  /** @param options `p`: swaps per word, in [0, 1]. */
  constructor(options: { p: number }) {
    this.p = loadConfigObject({ kind: this.kind, ...options }, RandomSwapSchema, { source: 'RandomSwap' }).p;
  }

  /** Rebuilds it from {@link RandomSwap.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): RandomSwap {
    return new RandomSwap(loadConfigObject(config, RandomSwapSchema, { source: 'RandomSwap.fromConfig' }));
  }

  apply(text: string, rng: Rng): string {
    const words = splitWords(text);
    if (this.p === 0 || words.length < 2) return text;
    const expected = this.p * words.length;
    const swaps = Math.floor(expected) + (rng.bernoulli(expected % 1) ? 1 : 0);
    if (swaps === 0) return text;
    for (let s = 0; s < swaps; s++) {
      const i = rng.int(0, words.length - 1);
      const j = (i + rng.int(1, words.length - 1)) % words.length; // any position but i
      [words[i], words[j]] = [words[j]!, words[i]!];
    }
    return words.join(' ');
  }

  getConfig(): RandomSwapConfig {
    return { kind: this.kind, p: this.p };
  }
}
