import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { probabilitySchema } from './text-augmentation.js';
import type { TextAugmentation } from './text-augmentation.js';

/** The kinds of typo {@link CharacterNoise} makes. */
export const TYPO_KINDS = ['substitute', 'insert', 'delete', 'swap'] as const;
/** A kind of typo: replace the character, add one after it, drop it, or swap it with the next one. */
export type TypoKind = (typeof TYPO_KINDS)[number];

const CharacterNoiseSchema = z.strictObject({
  kind: z.literal('character-noise'),
  p: probabilitySchema.describe('Chance of a typo at each letter or digit.'),
  typos: z
    .array(z.enum(TYPO_KINDS))
    .min(1)
    .default([...TYPO_KINDS])
    .describe('Kinds of typo, drawn uniformly. Default: substitute, insert, delete, swap.'),
  alphabet: z
    .string()
    .min(1)
    .default('abcdefghijklmnopqrstuvwxyz')
    .describe('Characters that substitutions and insertions draw from. Default a-z.'),
});

/** The saved form of a {@link CharacterNoise}. */
export type CharacterNoiseConfig = z.output<typeof CharacterNoiseSchema>;
/** What {@link CharacterNoise} is built from: {@link CharacterNoiseConfig} with defaults optional. */
export type CharacterNoiseOptions = Omit<z.input<typeof CharacterNoiseSchema>, 'kind'>;

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/**
 * Typos: at each letter or digit, with probability `p`, one of the configured kinds of typo
 * (substitute a different character, insert one after it, delete it, or swap it with the next
 * letter or digit). Spaces and punctuation are never touched; a substitute keeps the case.
 *
 * @example new CharacterNoise({ p: 0.1 }).apply('seven', rng) // 'sevne', say
 */
export class CharacterNoise implements TextAugmentation {
  readonly kind = 'character-noise';
  readonly #config: CharacterNoiseConfig;
  readonly #alphabet: string[];

  /** @param options `p` in [0, 1]; `typos` and `alphabet` (see {@link CharacterNoiseConfig}). */
  constructor(options: CharacterNoiseOptions) {
    this.#config = loadConfigObject({ kind: this.kind, ...options }, CharacterNoiseSchema, { source: 'CharacterNoise' });
    this.#alphabet = [...new Set(this.#config.alphabet)];
  }

  /** Rebuilds it from {@link CharacterNoise.getConfig}; throws ConfigError if malformed. */
  static fromConfig(config: unknown): CharacterNoise {
    return new CharacterNoise(loadConfigObject(config, CharacterNoiseSchema, { source: 'CharacterNoise.fromConfig' }));
  }

  get p(): number {
    return this.#config.p;
  }

  apply(text: string, rng: Rng): string {
    const { p, typos } = this.#config;
    if (p === 0) return text;
    const chars = Array.from(text);
    const out: string[] = [];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (!WORD_CHAR.test(c) || !rng.bernoulli(p)) {
        out.push(c);
        continue;
      }
      const typo = typos[rng.int(0, typos.length - 1)]!;
      if (typo === 'substitute') out.push(this.#other(c, rng));
      else if (typo === 'insert') out.push(c, this.#draw(rng));
      else if (typo === 'swap' && i + 1 < chars.length && WORD_CHAR.test(chars[i + 1]!)) out.push(chars[++i]!, c);
      else if (typo === 'swap') out.push(c); // nothing to swap with
      // 'delete': nothing is pushed
    }
    return out.join('');
  }

  getConfig(): CharacterNoiseConfig {
    return { ...this.#config, typos: [...this.#config.typos] };
  }

  #draw(rng: Rng): string {
    return this.#alphabet[rng.int(0, this.#alphabet.length - 1)]!;
  }

  /** A character of the alphabet other than `c` (compared lower-cased), in `c`'s case. */
  #other(c: string, rng: Rng): string {
    const lower = c.toLowerCase();
    const choices = this.#alphabet.filter((a) => a.toLowerCase() !== lower);
    if (choices.length === 0) return c;
    const d = choices[rng.int(0, choices.length - 1)]!;
    return c !== lower ? d.toUpperCase() : d;
  }
}
