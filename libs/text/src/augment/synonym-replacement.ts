import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { probabilitySchema } from './text-augmentation.js';
import type { TextAugmentation } from './text-augmentation.js';
import { splitWords } from './split-words.js';

const SynonymReplacementSchema = z.strictObject({
  kind: z.literal('synonym-replacement'),
  p: probabilitySchema.describe('Chance that each word with synonyms is replaced.'),
  synonyms: z
    .record(z.string().min(1), z.array(z.string().min(1)).min(1))
    .describe('Word (matched lower-cased) -> its synonyms; a synonym may be several words.'),
});

/** The saved form of a {@link SynonymReplacement}. */
export type SynonymReplacementConfig = z.output<typeof SynonymReplacementSchema>;

/** Leading punctuation, the word, trailing punctuation: `"(cat),"` -> `(`, `cat`, `),`. */
const PARTS = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su;

/**
 * Replaces each word found in a synonym table, with probability `p`, by one of its synonyms drawn
 * uniformly (EDA's synonym replacement, with the table given rather than WordNet's). Words match
 * lower-cased and without surrounding punctuation, which is kept.
 *
 * @example
 * new SynonymReplacement({ p: 1, synonyms: { big: ['large'] } }).apply('A big, big cat', rng) // 'A large, large cat'
 */
export class SynonymReplacement implements TextAugmentation {
  readonly kind = 'synonym-replacement';
  readonly p: number;
  readonly #synonyms: Map<string, readonly string[]>;

  /** @param options `p` in [0, 1] and the synonym table. */
  constructor(options: { p: number; synonyms: Record<string, readonly string[]> }) {
    const c = loadConfigObject({ kind: this.kind, ...options }, SynonymReplacementSchema, { source: 'SynonymReplacement' });
    this.p = c.p;
    this.#synonyms = new Map(Object.entries(c.synonyms).map(([w, s]) => [w.toLowerCase(), s]));
  }

  /** Rebuilds it from {@link SynonymReplacement.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): SynonymReplacement {
    return new SynonymReplacement(loadConfigObject(config, SynonymReplacementSchema, { source: 'SynonymReplacement.fromConfig' }));
  }

  apply(text: string, rng: Rng): string {
    if (this.p === 0) return text;
    let changed = false;
    const words = splitWords(text).map((word) => {
      const [, before, core, after] = PARTS.exec(word)!;
      const options = this.#synonyms.get(core!.toLowerCase());
      if (options === undefined || !rng.bernoulli(this.p)) return word;
      changed = true;
      return `${before}${options[rng.int(0, options.length - 1)]}${after}`;
    });
    return changed ? words.join(' ') : text;
  }

  getConfig(): SynonymReplacementConfig {
    return { kind: this.kind, p: this.p, synonyms: Object.fromEntries([...this.#synonyms].map(([w, s]) => [w, [...s]])) };
  }
}
