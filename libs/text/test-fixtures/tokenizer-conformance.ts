// The conformance suite every Tokenizer implementation runs: properties that hold for any
// vocabulary, checked on fresh random texts drawn from words the tokenizer knows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { loadTokenizer, saveTokenizer, tokenizerFromConfig } from '@omnitrain/text';
import type { Tokenizer } from '@omnitrain/text';

/** What the suite needs: a tokenizer and words it can spell. */
export interface ConformanceCase {
  tokenizer: Tokenizer;
  /** Words (or word pieces) random texts are made of. */
  words: readonly string[];
}

const rand = (n: number): number => Math.floor(Math.random() * n);

function randomTexts(words: readonly string[], count: number): string[] {
  return Array.from({ length: count }, () => Array.from({ length: 1 + rand(8) }, () => words[rand(words.length)]).join(' '));
}

/** Whether `short` is `long` with one contiguous block removed. */
function isOneCut(long: readonly number[], short: readonly number[]): boolean {
  const removed = long.length - short.length;
  for (let a = 0; a <= short.length; a++) {
    if (short.every((id, i) => id === long[i < a ? i : i + removed])) return true;
  }
  return false;
}

/**
 * Registers the shared tokenizer tests for one implementation.
 *
 * @param name The implementation, in test names.
 * @param make Builds the tokenizer (called once, before the tests).
 */
export function tokenizerConformance(name: string, make: () => Promise<ConformanceCase>): void {
  describe(`Tokenizer conformance: ${name}`, () => {
    let tok: Tokenizer;
    let words: readonly string[];
    let dir: string;
    beforeAll(async () => {
      ({ tokenizer: tok, words } = await make());
      dir = await mkdtemp(join(tmpdir(), 'omnitrain-text-conf-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('maps every id to a token and back, and keeps special ids inside the vocabulary', () => {
      for (let id = 0; id < tok.vocabSize; id++) expect(tok.tokenToId(tok.idToToken(id)!)).toBe(id);
      expect(tok.idToToken(tok.vocabSize)).toBeUndefined();
      expect(tok.idToToken(-1)).toBeUndefined();
      for (const id of [...tok.specialIds, ...Object.values(tok.specialTokens)]) {
        expect(id).toBeGreaterThanOrEqual(0);
        expect(id).toBeLessThan(tok.vocabSize);
      }
    });

    it('decodes to text that encodes to the same ids', () => {
      for (const text of randomTexts(words, 30)) {
        const ids = tok.encode(text, { addSpecialTokens: false }).ids;
        expect(tok.encode(tok.decode(ids), { addSpecialTokens: false }).ids).toEqual(ids);
      }
    });

    it('pads a batch to its longest row with the pad id, masks the padding, and keeps each row as encoded alone', () => {
      const texts = randomTexts(words, 7);
      for (const padSide of ['end', 'start'] as const) {
        const batch = tok.encodeBatch(texts, { padSide });
        const time = Math.max(...texts.map((t) => tok.encode(t).ids.length));
        expect(batch.shape).toEqual([texts.length, time]);
        texts.forEach((t, b) => {
          const alone = [...tok.encode(t).ids];
          const row = [...batch.ids.subarray(b * time, (b + 1) * time)];
          const mask = [...batch.attentionMask.subarray(b * time, (b + 1) * time)];
          const pad = Array<number>(time - alone.length).fill(tok.specialTokens.pad!);
          const ones = Array<number>(alone.length).fill(1);
          const zeros = Array<number>(time - alone.length).fill(0);
          expect(row).toEqual(padSide === 'end' ? [...alone, ...pad] : [...pad, ...alone]);
          expect(mask).toEqual(padSide === 'end' ? [...ones, ...zeros] : [...zeros, ...ones]);
          expect(batch.lengths[b]).toBe(alone.length);
        });
      }
    });

    it('truncates by cutting content only: special tokens stay, the length is maxLength', () => {
      for (const text of randomTexts(words, 40)) {
        const full = [...tok.encode(text).ids];
        const special = full.length - tok.encode(text, { addSpecialTokens: false }).ids.length;
        const maxLength = special + rand(full.length - special + 1);
        for (const truncate of ['end', 'start'] as const) {
          const cut = tok.encode(text, { maxLength, truncate });
          expect(cut.ids.length).toBe(Math.min(full.length, maxLength));
          expect(cut.truncated).toBe(full.length - cut.ids.length);
          expect(cut.attentionMask.every((m) => m === 1)).toBe(true);
          expect(isOneCut(full, [...cut.ids])).toBe(true);
        }
        if (full.length > maxLength) expect(() => tok.encode(text, { maxLength, truncate: 'error' })).toThrow(DataError);
      }
    });

    it('pads to exactly maxLength with padding "max-length", and asks for maxLength', () => {
      const texts = randomTexts(words, 5);
      const maxLength = 12;
      const batch = tok.encodeBatch(texts, { padding: 'max-length', maxLength });
      expect(batch.shape).toEqual([5, maxLength]);
      texts.forEach((t, b) => expect(batch.lengths[b]).toBe(Math.min(maxLength, tok.encode(t).ids.length)));
      expect(() => tok.encodeBatch(texts, { padding: 'max-length' })).toThrow(ConfigError);
    });

    it('rebuilds from its config and from its saved JSON file with the same ids', async () => {
      const texts = randomTexts(words, 10);
      const file = join(dir, 'tokenizer.json');
      await saveTokenizer(tok, file);
      const again = [await tokenizerFromConfig(JSON.parse(JSON.stringify(tok.getConfig()))), await loadTokenizer(file)];
      for (const other of again) {
        expect(other.kind).toBe(tok.kind);
        expect(other.vocabSize).toBe(tok.vocabSize);
        expect(other.getConfig()).toEqual(tok.getConfig());
        expect(other.encodeBatch(texts)).toEqual(tok.encodeBatch(texts));
      }
    });
  });
}
