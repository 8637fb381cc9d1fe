import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@omnitrain/core';
import {
  CharacterNoise,
  RandomDeletion,
  RandomSwap,
  SynonymReplacement,
  TextAugmentChain,
  VocabTokenizer,
  WordMask,
  splitWords,
  textAugmentationFromConfig,
} from '@omnitrain/text';
import type { TextAugmentation } from '@omnitrain/text';

const seed = (): number => Math.floor(Math.random() * 2 ** 31);
const rngOf = (s: number): Rng => Rng.stream(s, { purpose: 'augment' });
const LETTERS = 'abcdefghij';
const TABLE_WORDS = ['big', 'cat', 'a', 'Big,'];
const randomWord = (): string =>
  Math.random() < 0.3
    ? TABLE_WORDS[Math.floor(Math.random() * TABLE_WORDS.length)]!
    : Array.from({ length: 1 + Math.floor(Math.random() * 6) }, () => LETTERS[Math.floor(Math.random() * 10)]).join('');
const randomText = (): string =>
  Array.from({ length: 1 + Math.floor(Math.random() * 12) }, randomWord).join(Math.random() < 0.5 ? ' ' : ' \t ');
const sorted = (t: string): string[] => splitWords(t).sort();
const SYNONYMS = { big: ['large', 'huge'], cat: ['feline'], a: ['one'] };

const all = (p: number): TextAugmentation[] => [
  new RandomDeletion({ p }),
  new RandomSwap({ p }),
  new SynonymReplacement({ p, synonyms: SYNONYMS }),
  new CharacterNoise({ p }),
  new WordMask({ p }),
];

describe('text augmentations: shared properties', () => {
  it('return the input itself at p = 0', () => {
    const augs = [...all(0), new TextAugmentChain(all(0))];
    for (let trial = 0; trial < 50; trial++) {
      const text = `  ${randomText()} big cat `;
      for (const aug of augs) expect(aug.apply(text, rngOf(seed()))).toBe(text);
    }
  });

  it('are deterministic given the stream, and differ across seeds', () => {
    for (const aug of [...all(0.3), new TextAugmentChain(all(0.2))]) {
      const texts = Array.from({ length: 20 }, randomText);
      const s = seed();
      const once = texts.map((t) => aug.apply(t, rngOf(s)));
      expect(texts.map((t) => aug.apply(t, rngOf(s)))).toEqual(once);
      const others = Array.from({ length: 5 }, () => texts.map((t) => aug.apply(t, rngOf(seed()))));
      expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(once))).toBe(true);
    }
  });

  it('round-trip their configs through JSON and give the same texts', () => {
    const chain = new TextAugmentChain([...all(0.25), new TextAugmentChain([new CharacterNoise({ p: 0.5, typos: ['swap'] })])]);
    const again = textAugmentationFromConfig(JSON.parse(JSON.stringify(chain.getConfig())));
    expect(again.getConfig()).toEqual(chain.getConfig());
    for (let trial = 0; trial < 20; trial++) {
      const text = randomText();
      const s = seed();
      expect(again.apply(text, rngOf(s))).toBe(chain.apply(text, rngOf(s)));
    }
  });

  it('reject bad parameters and unknown kinds', () => {
    expect(() => new RandomDeletion({ p: 1.5 })).toThrow(ConfigError);
    expect(() => new RandomSwap({ p: -0.1 })).toThrow(ConfigError);
    expect(() => new SynonymReplacement({ p: 0.5, synonyms: { big: [] } })).toThrow(ConfigError);
    expect(() => CharacterNoise.fromConfig({ kind: 'character-noise', p: 0.1, typos: ['smudge'] })).toThrow(ConfigError);
    expect(() => textAugmentationFromConfig({ kind: 'random-swop', p: 0.1 })).toThrow(/Did you mean "random-swap"/);
  });
});

describe('RandomDeletion', () => {
  it('deletes each word with probability p', () => {
    const words = Array.from({ length: 4000 }, (_, i) => `w${i}`);
    const kept = splitWords(new RandomDeletion({ p: 0.3 }).apply(words.join(' '), rngOf(seed())));
    const rate = 1 - kept.length / words.length;
    expect(Math.abs(rate - 0.3)).toBeLessThan(6 * Math.sqrt((0.3 * 0.7) / words.length));
    expect(kept.every((w, i) => i === 0 || Number(w.slice(1)) > Number(kept[i - 1]!.slice(1)))).toBe(true); // order kept
  });

  it('keeps one original word at p = 1', () => {
    for (let trial = 0; trial < 20; trial++) {
      const text = randomText();
      const out = new RandomDeletion({ p: 1 }).apply(text, rngOf(seed()));
      expect(splitWords(text)).toContain(out);
    }
  });
});

describe('RandomSwap', () => {
  it('keeps the words and changes only their order', () => {
    for (let trial = 0; trial < 50; trial++) {
      const text = randomText();
      expect(sorted(new RandomSwap({ p: Math.random() }).apply(text, rngOf(seed())))).toEqual(sorted(text));
    }
  });

  it('swaps two words exactly once at p = 0.5', () => {
    expect(new RandomSwap({ p: 0.5 }).apply('hello world', rngOf(seed()))).toBe('world hello');
    const words = splitWords('a b c d e f g h');
    const out = splitWords(new RandomSwap({ p: 0.125 }).apply(words.join(' '), rngOf(seed())));
    expect(out.filter((w, i) => w !== words[i])).toHaveLength(2);
  });
});

describe('SynonymReplacement', () => {
  it('replaces every word of the table at p = 1, keeping punctuation', () => {
    const aug = new SynonymReplacement({ p: 1, synonyms: { Big: ['large'], cat: ['feline'] } });
    expect(aug.apply('A big, (BIG) cat sat.', rngOf(seed()))).toBe('A large, (large) feline sat.');
    expect(aug.getConfig().synonyms).toEqual({ big: ['large'], cat: ['feline'] });
  });

  it('draws among the synonyms uniformly', () => {
    const aug = new SynonymReplacement({ p: 1, synonyms: SYNONYMS });
    const rng = rngOf(seed());
    const counts = { large: 0, huge: 0 };
    for (let i = 0; i < 2000; i++) counts[aug.apply('big', rng) as 'large' | 'huge']++;
    expect(counts.large + counts.huge).toBe(2000);
    expect(Math.abs(counts.large / 2000 - 0.5)).toBeLessThan(6 * Math.sqrt(0.25 / 2000));
  });
});

describe('CharacterNoise', () => {
  const rng = (): Rng => rngOf(seed());
  it('deletes every letter and digit at p = 1 with only deletions, keeping the rest', () => {
    expect(new CharacterNoise({ p: 1, typos: ['delete'] }).apply('ab-c d9!', rng())).toBe('- !');
  });

  it('swaps neighbouring letters pairwise', () => {
    expect(new CharacterNoise({ p: 1, typos: ['swap'] }).apply('abcd efg', rng())).toBe('badc feg');
  });

  it('substitutes a different letter of the same case', () => {
    const text = 'AbCdEfGh';
    const out = new CharacterNoise({ p: 1, typos: ['substitute'] }).apply(text, rng());
    expect(out).toHaveLength(text.length);
    for (let i = 0; i < text.length; i++) {
      expect(out[i]!.toLowerCase()).not.toBe(text[i]!.toLowerCase());
      expect(out[i] === out[i]!.toUpperCase()).toBe(text[i] === text[i]!.toUpperCase());
    }
  });

  it('inserts characters of its alphabet after letters', () => {
    expect(new CharacterNoise({ p: 1, typos: ['insert'], alphabet: 'x' }).apply('ab c', rng())).toBe('axbx cx');
  });

  it('makes about p * letters typos', () => {
    const text = 'a'.repeat(4000);
    const out = new CharacterNoise({ p: 0.1, typos: ['substitute'] }).apply(text, rng());
    const changed = [...out].filter((c) => c !== 'a').length;
    expect(Math.abs(changed / 4000 - 0.1)).toBeLessThan(6 * Math.sqrt((0.1 * 0.9) / 4000));
  });
});

describe('WordMask', () => {
  it('masks every word at p = 1, and the masks encode to the tokenizer\'s mask id', () => {
    const tok = VocabTokenizer.fit(['the cat sat']);
    const masked = new WordMask({ p: 1, token: '[MASK]' }).apply('the cat  sat', rngOf(seed()));
    expect(masked).toBe('[MASK] [MASK] [MASK]');
    expect([...tok.encode(masked).ids]).toEqual([2, 2, 2]);
    expect(tok.specialTokens.mask).toBe(2);
  });
});
