import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { VocabTokenizer, tokenizerFromConfig } from '@omnitrain/text';
import { tokenizerConformance } from '../../test-fixtures/tokenizer-conformance.js';

const TRAIN = ['The cat sat.', 'the cat ran', 'A dog!'];
// Counted by hand: cat 2, the 2, then once each (in code-point order): ! . a dog ran sat.
const WORD_VOCAB = ['[PAD]', '[UNK]', '[MASK]', 'cat', 'the', '!', '.', 'a', 'dog', 'ran', 'sat'];

describe('VocabTokenizer (word level)', () => {
  const tok = VocabTokenizer.fit(TRAIN);

  it('fits the vocabulary: specials first, then by frequency, ties in code-point order', () => {
    expect(tok.getConfig().tokens).toEqual(WORD_VOCAB);
    expect(tok.vocabSize).toBe(11);
    expect(tok.specialTokens).toEqual({ pad: 0, unk: 1, mask: 2 });
    expect(tok.specialIds).toEqual([0, 1, 2]);
  });

  it('encodes to the hand-computed ids, unknown words to [UNK]', () => {
    const e = tok.encode('The DOG  sat on a mat!');
    expect([...e.ids]).toEqual([4, 8, 10, 1, 7, 1, 5]);
    expect([...e.attentionMask]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(e.truncated).toBe(0);
  });

  it('encodes special tokens written in text to their ids, in any case', () => {
    expect([...tok.encode('the [MASK] sat').ids]).toEqual([4, 2, 10]);
    expect([...tok.encode('the [mask][PAD]').ids]).toEqual([4, 2, 0]);
  });

  it('decodes ids to normalized words, optionally without special tokens', () => {
    expect(tok.decode([4, 3, 10, 6])).toBe('the cat sat .');
    expect(tok.decode([4, 2, 10, 0, 1], { skipSpecialTokens: true })).toBe('the sat');
    expect(tok.decode(tok.encode('The cat, the dog').ids)).toBe('the cat [UNK] the dog');
    expect(() => tok.decode([11])).toThrow(DataError);
    expect(() => tok.decode([1.5])).toThrow(DataError);
  });

  it('keeps tokens seen at least minFrequency times, and at most maxSize ids', () => {
    expect(VocabTokenizer.fit(TRAIN, { minFrequency: 2 }).getConfig().tokens).toEqual(WORD_VOCAB.slice(0, 5));
    expect(VocabTokenizer.fit(TRAIN, { maxSize: 7 }).getConfig().tokens).toEqual(WORD_VOCAB.slice(0, 7));
    expect(() => VocabTokenizer.fit(TRAIN, { maxSize: 2 })).toThrow(ConfigError);
    expect(() => VocabTokenizer.fit(TRAIN, { minFrequency: 0 })).toThrow(ConfigError);
  });

  it('respects lowercase: false and does not count special tokens as words', () => {
    const cased = VocabTokenizer.fit(['Cat cat [MASK]'], { lowercase: false });
    expect(cased.getConfig().tokens).toEqual(['[PAD]', '[UNK]', '[MASK]', 'Cat', 'cat']);
    expect([...cased.encode('cat Cat CAT').ids]).toEqual([4, 3, 1]);
  });

  it('splits words with inner apostrophes whole and punctuation apart', () => {
    const t = VocabTokenizer.fit(["don't stop, l'eau!"]);
    expect(t.getConfig().tokens.slice(3)).toEqual(['!', ',', "don't", "l'eau", 'stop']);
  });

  it('adds bos/eos and truncates between them', () => {
    const specialTokens = { pad: '<pad>', unk: '<unk>', bos: '<s>', eos: '</s>' };
    const t = VocabTokenizer.fit(['x y z'], { specialTokens, addBos: true, addEos: true });
    expect(t.getConfig().tokens).toEqual(['<pad>', '<unk>', '<s>', '</s>', 'x', 'y', 'z']);
    expect([...t.encode('x y z').ids]).toEqual([2, 4, 5, 6, 3]);
    expect([...t.encode('x y z', { addSpecialTokens: false }).ids]).toEqual([4, 5, 6]);
    expect([...t.encode('x y z', { maxLength: 3 }).ids]).toEqual([2, 4, 3]);
    expect([...t.encode('x y z', { maxLength: 4, truncate: 'start' }).ids]).toEqual([2, 5, 6, 3]);
    expect(t.encode('x y z', { maxLength: 3 }).truncated).toBe(2);
    expect(() => t.encode('x', { maxLength: 1 })).toThrow(ConfigError);
    expect(() => t.encode('x y z', { maxLength: 4, truncate: 'error' })).toThrow(DataError);
  });

  it('pads a batch with [PAD] and masks it', () => {
    const b = tok.encodeBatch(['the cat', 'a dog sat .', 'cat'], { maxLength: 3 });
    expect(b.shape).toEqual([3, 3]);
    expect([...b.ids]).toEqual([4, 3, 0, 7, 8, 10, 3, 0, 0]);
    expect([...b.attentionMask]).toEqual([1, 1, 0, 1, 1, 1, 1, 0, 0]);
    expect([...b.lengths]).toEqual([2, 3, 1]);
    expect([...b.truncated]).toEqual([0, 1, 0]);
    const left = tok.encodeBatch(['the cat', 'cat'], { padSide: 'start', padding: 'max-length', maxLength: 4 });
    expect([...left.ids]).toEqual([0, 0, 4, 3, 0, 0, 0, 3]);
    expect([...left.attentionMask]).toEqual([0, 0, 1, 1, 0, 0, 0, 1]);
    expect(tok.encodeBatch([]).shape).toEqual([0, 0]);
  });

  it('rejects malformed configs with every problem named', async () => {
    const good = tok.getConfig();
    expect(() => VocabTokenizer.fromConfig({ ...good, tokens: [...good.tokens, 'cat'] })).toThrow(/appears twice/);
    expect(() => VocabTokenizer.fromConfig({ ...good, tokens: good.tokens.filter((t) => t !== '[MASK]') })).toThrow(
      /specialTokens\.mask.*not in tokens/,
    );
    expect(() => VocabTokenizer.fromConfig({ ...good, addBos: true })).toThrow(/addBos: needs specialTokens\.bos/);
    const clash = { ...good, specialTokens: { pad: '[PAD]', unk: '[pad]' }, tokens: ['[PAD]', '[pad]'] };
    expect(() => VocabTokenizer.fromConfig(clash)).toThrow(/normalizes to "\[pad\]"/);
    await expect(tokenizerFromConfig({ kind: 'vocabb' })).rejects.toThrow(/Available: transformers, vocab. Did you mean "vocab"/);
  });
});

describe('VocabTokenizer (character level)', () => {
  it('fits characters by frequency and round-trips normalized text', () => {
    const tok = VocabTokenizer.fit(['abba', 'cab'], { level: 'char' });
    expect(tok.getConfig().tokens).toEqual(['[PAD]', '[UNK]', '[MASK]', 'a', 'b', 'c']);
    expect([...tok.encode('A bcd').ids]).toEqual([3, 1, 4, 5, 1]);
    expect([...tok.encode('ab[MASK]').ids]).toEqual([3, 4, 2]);
    const words = VocabTokenizer.fit(['hello world'], { level: 'char' });
    expect(words.decode(words.encode('  Hello \n World ').ids)).toBe('hello world');
  });

  it('counts code points, not UTF-16 units, and normalizes with NFKC', () => {
    const tok = VocabTokenizer.fit(['😀é'], { level: 'char' });
    expect(tok.getConfig().tokens.slice(3)).toEqual(['é', '😀']);
    expect([...tok.encode('e\u0301😀').ids]).toEqual([3, 4]); // e + combining acute == é after NFKC
  });
});

const CORPUS = ['the quick brown fox', 'jumps over the lazy dog', 'the dog sleeps, the fox runs!', "it's late"];
const WORDS = ['the', 'quick', 'fox', 'dog', 'lazy', 'sleeps', ',', '!', "it's", 'zebra', '[MASK]'];
tokenizerConformance('vocab, word level', async () => ({ tokenizer: VocabTokenizer.fit(CORPUS), words: WORDS }));
tokenizerConformance('vocab, char level with bos/eos', async () => ({
  tokenizer: VocabTokenizer.fit(CORPUS, {
    level: 'char',
    specialTokens: { pad: '<pad>', unk: '<unk>', bos: '<s>', eos: '</s>' },
    addBos: true,
    addEos: true,
  }),
  words: [...WORDS.slice(0, -1), '<s>', 'Q'],
}));
