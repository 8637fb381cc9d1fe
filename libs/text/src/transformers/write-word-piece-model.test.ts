import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { TransformersTokenizer, writeWordPieceModel } from '@omnitrain/text';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'omnitrain-text-wordpiece-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A vocabulary with BERT's specials at random places among random words and their pieces. */
function randomVocab(): { vocab: string[]; words: string[] } {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  // Distinct first letters: no word is a prefix of another, so WordPiece's longest match is known.
  const firsts = [...letters].sort(() => Math.random() - 0.5).slice(0, 12);
  const words = firsts.map((f) => f + Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => letters[Math.floor(Math.random() * 26)]).join(''));
  const vocab = [...words, ...words.map((w) => `##${w}`), ...[...letters].map((c) => `##${c}`), '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '.'];
  for (let i = vocab.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [vocab[i], vocab[j]] = [vocab[j]!, vocab[i]!];
  }
  return { vocab, words };
}

const load = (folder: string) => TransformersTokenizer.load({ kind: 'transformers', model: folder });

describe('writeWordPieceModel', () => {
  it('writes a folder transformers.js reads: [CLS] word pieces [SEP] with the ids of the vocabulary', async () => {
    const { vocab, words } = randomVocab();
    const tok = await load(await writeWordPieceModel(join(root, 'random'), vocab, { modelMaxLength: 64 }));
    const id = (t: string) => vocab.indexOf(t);
    expect(tok.vocabSize).toBe(vocab.length);
    expect(tok.specialTokens).toEqual({ pad: id('[PAD]'), unk: id('[UNK]'), cls: id('[CLS]'), sep: id('[SEP]'), mask: id('[MASK]') });
    expect(tok.modelMaxLength).toBe(64);
    const [a, b] = [words[0]!, words[1]!];
    // "A ab." lower-cased: a | a ##b (longest match first, then the continuation) | .
    expect([...tok.encode(`${a.toUpperCase()} ${a}${b}.`).ids]).toEqual([id('[CLS]'), id(a), id(a), id(`##${b}`), id('.'), id('[SEP]')]);
    expect([...tok.encode('!').ids]).toEqual([id('[CLS]'), id('[UNK]'), id('[SEP]')]);
    const config = JSON.parse(await readFile(join(root, 'random', 'tokenizer_config.json'), 'utf8'));
    expect(config).toMatchObject({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 64 });
  });

  it('keeps case when asked, and takes other spellings of the special tokens', async () => {
    const vocab = ['<pad>', '<unk>', '<s>', '</s>', '<mask>', 'Hello', 'hello'];
    const specialTokens = { pad: '<pad>', unk: '<unk>', cls: '<s>', sep: '</s>', mask: '<mask>' };
    const cased = await load(await writeWordPieceModel(join(root, 'cased'), vocab, { lowercase: false, specialTokens }));
    expect([...cased.encode('Hello hello').ids]).toEqual([2, 5, 6, 3]);
    expect(cased.decode(cased.encode('Hello').ids, { skipSpecialTokens: true })).toBe('Hello');
    const uncased = await load(await writeWordPieceModel(join(root, 'uncased'), vocab, { specialTokens }));
    expect([...uncased.encode('Hello hello').ids]).toEqual([2, 6, 6, 3]);
  });

  it('names a missing special token or a repeated token, and rejects bad options', async () => {
    await expect(writeWordPieceModel(join(root, 'x'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]'])).rejects.toThrow(DataError);
    await expect(writeWordPieceModel(join(root, 'x'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]'])).rejects.toThrow(/special token \[MASK\]/);
    await expect(writeWordPieceModel(join(root, 'x'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'a'])).rejects.toThrow(/"a" at ids 5 and 6/);
    await expect(writeWordPieceModel(join(root, 'x'), ['[PAD]'], { modelMaxLength: 0 } as never)).rejects.toThrow(ConfigError);
  });
});
