import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { probabilitySchema } from './text-augmentation.js';
import type { TextAugmentation } from './text-augmentation.js';
import { splitWords } from './split-words.js';

const WordMaskSchema = z.strictObject({
  kind: z.literal('word-mask'),
  p: probabilitySchema.describe('Chance that each word is masked.'),
  token: z.string().min(1).default('[MASK]').describe('What a masked word becomes: the tokenizer\'s mask token. Default "[MASK]".'),
});

/** The saved form of a {@link WordMask}. */
export type WordMaskConfig = z.output<typeof WordMaskSchema>;

/**
 * Token masking at the word level: replaces each word, with probability `p`, by the mask token,
 * which both tokenizers encode to their mask id (BERT's `[MASK]` is the default; for a built-in
 * tokenizer use its `specialTokens.mask`).
 *
 * @example new WordMask({ p: 0.15 }).apply('the cat sat', rng) // 'the [MASK] sat', say
 */
export class WordMask implements TextAugmentation {
  readonly kind = 'word-mask';
  readonly p: number;
  readonly token: string;

  /** @param options `p` in [0, 1]; `token` (default `[MASK]`). */
  constructor(options: { p: number; token?: string }) {
    const c = loadConfigObject({ kind: this.kind, ...options }, WordMaskSchema, { source: 'WordMask' });
    this.p = c.p;
    this.token = c.token;
  }

  /** Rebuilds it from {@link WordMask.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): WordMask {
    return new WordMask(loadConfigObject(config, WordMaskSchema, { source: 'WordMask.fromConfig' }));
  }

  apply(text: string, rng: Rng): string {
    if (this.p === 0) return text;
    let changed = false;
    const words = splitWords(text).map((w) => {
      if (!rng.bernoulli(this.p)) return w;
      changed = true;
      return this.token;
    });
    return changed ? words.join(' ') : text;
  }

  getConfig(): WordMaskConfig {
    return { kind: this.kind, p: this.p, token: this.token };
  }
}
