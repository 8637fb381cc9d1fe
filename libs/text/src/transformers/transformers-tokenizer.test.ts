import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { TransformersTokenizer, initTransformers, tokenizerFromConfig } from '@omnitrain/text';
import type { Tokenizer } from '@omnitrain/text';
import { BERT_VOCAB, BPE_VOCAB, writeTinyBert, writeTinyBpe } from '../../test-fixtures/tiny-tokenizers.js';
import { tokenizerConformance } from '../../test-fixtures/tokenizer-conformance.js';

let root: string;
const realFetch = globalThis.fetch;
let fetches: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'omnitrain-text-models-'));
  await writeTinyBert(root);
  await writeTinyBpe(root);
  await writeTinyBpe(root, 'bpe-with-unk', { unk_token: '<|endoftext|>' });
  await writeTinyBert(join(root, 'Xenova'), 'bert-ns');
});
afterAll(() => rm(root, { recursive: true, force: true }));

// The offline guarantee: any network access by the library fails the test that caused it.
beforeEach(async () => {
  fetches = [];
  globalThis.fetch = ((input: unknown) => {
    fetches.push(String(input));
    throw new Error(`network access during an offline test: ${String(input)}`);
  }) as typeof fetch;
  const env = await initTransformers({ modelRoot: root });
  expect(env).toEqual({
    allowRemoteModels: false,
    allowLocalModels: true,
    localModelPath: `${root}/`,
    useFSCache: false,
    useBrowserCache: false,
  });
});
afterEach(() => {
  globalThis.fetch = realFetch;
  expect(fetches).toEqual([]);
});

const load = (model: string, extra: object = {}): Promise<Tokenizer> =>
  tokenizerFromConfig({ kind: 'transformers', model, ...extra });

describe('TransformersTokenizer: WordPiece (BERT layout)', () => {
  it('encodes to the hand-computed ids: lower-cased, split into pieces, wrapped in [CLS] ... [SEP]', async () => {
    const tok = await load('bert-tiny');
    expect(tok.vocabSize).toBe(BERT_VOCAB.length);
    expect(tok.specialTokens).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    expect(tok.specialIds).toEqual([0, 1, 2, 3, 4]);
    expect((tok as TransformersTokenizer).modelMaxLength).toBe(16);
    expect([...tok.encode('The cats sat.').ids]).toEqual([2, 5, 6, 10, 7, 13, 3]); // the cat ##s sat .
    expect([...tok.encode('Playing, on the mat').ids]).toEqual([2, 11, 12, 14, 8, 5, 9, 3]);
    expect([...tok.encode('The dog').ids]).toEqual([2, 5, 1, 3]); // dog: [UNK]
    expect([...tok.encode('the [MASK] sat').ids]).toEqual([2, 5, 4, 7, 3]);
    expect([...tok.encode('The cats', { addSpecialTokens: false }).ids]).toEqual([5, 6, 10]);
  });

  it('decodes back to text, with or without special tokens', async () => {
    const tok = await load('bert-tiny');
    const ids = tok.encode('The cats sat on the mat.').ids;
    expect(tok.decode(ids)).toBe('[CLS] the cats sat on the mat. [SEP]');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('the cats sat on the mat.');
    expect(tok.decode([])).toBe('');
    expect(() => tok.decode([15])).toThrow(DataError);
  });

  it('truncates content, never [CLS] or [SEP], from either end', async () => {
    const tok = await load('bert-tiny');
    const text = 'the cats sat on the mat'; // [2, 5, 6, 10, 7, 8, 5, 9, 3]
    expect([...tok.encode(text, { maxLength: 5 }).ids]).toEqual([2, 5, 6, 10, 3]);
    expect([...tok.encode(text, { maxLength: 5, truncate: 'start' }).ids]).toEqual([2, 8, 5, 9, 3]);
    expect(tok.encode(text, { maxLength: 5 }).truncated).toBe(4);
    expect([...tok.encode(text, { maxLength: 2 }).ids]).toEqual([2, 3]);
    expect(() => tok.encode(text, { maxLength: 1 })).toThrow(/maxLength >= 2/);
    expect(() => tok.encode(text, { maxLength: 8, truncate: 'error' })).toThrow(DataError);
  });

  it('pads a batch with [PAD] = 0 and masks it', async () => {
    const tok = await load('bert-tiny');
    const b = tok.encodeBatch(['The cats', 'sat'], { padding: 'max-length', maxLength: 6 });
    expect([...b.ids]).toEqual([2, 5, 6, 10, 3, 0, 2, 7, 3, 0, 0, 0]);
    expect([...b.attentionMask]).toEqual([1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0]);
    expect(b.shape).toEqual([2, 6]);
  });

  it('finds namespaced model names (hub layout) under the root, and absolute folders', async () => {
    expect([...(await load('Xenova/bert-ns')).encode('cat').ids]).toEqual([2, 6, 3]);
    const abs = await load(join(root, 'bert-tiny'), { modelRoot: '/nonexistent' });
    expect([...abs.encode('cat').ids]).toEqual([2, 6, 3]);
  });
});

describe('TransformersTokenizer: byte-level BPE (GPT-2 layout)', () => {
  it('encodes with the merges in rank order and decodes back exactly', async () => {
    const tok = await load('bpe-tiny');
    expect(tok.vocabSize).toBe(BPE_VOCAB.length);
    // low | Ġlow er | Ġlow e s t  (no "e s" merge)
    const ids = tok.encode('low lower lowest').ids;
    expect([...ids]).toEqual([9, 11, 10, 11, 3, 5, 6]);
    expect(tok.decode(ids)).toBe('low lower lowest');
    expect(tok.specialTokens).toEqual({ pad: 12, bos: 12, eos: 12 }); // transformers.js pads with eos
  });

  it('maps bytes outside the vocabulary to the unknown token, or fails clearly without one', async () => {
    expect([...(await load('bpe-with-unk')).encode('lowx').ids]).toEqual([9, 12]);
    const tok = await load('bpe-tiny');
    expect(() => tok.encode('lowx')).toThrow(DataError);
    expect(() => tok.encode('lowx')).toThrow(/1 unknown token\(s\) in "lowx".*bpe-tiny/);
  });
});

describe('TransformersTokenizer: offline only', () => {
  it('names the missing folder in a DataError and never touches the network', async () => {
    const error = await load('bert-base-uncased').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).where).toBe(`folder ${join(root, 'bert-base-uncased')}`);
    expect((error as Error).message).toMatch(/no such folder.*never downloads/);
    await expect(load('bert-tiny', { modelRoot: join(root, 'elsewhere') })).rejects.toThrow(join(root, 'elsewhere', 'bert-tiny'));
  });

  it('names the missing file of an incomplete folder', async () => {
    await mkdir(join(root, 'half'), { recursive: true });
    await writeFile(join(root, 'half', 'tokenizer.json'), '{}');
    await expect(load('half')).rejects.toThrow(/got no tokenizer_config\.json \(folder .*half\)/);
  });

  it('wraps what transformers.js cannot read in a DataError naming the folder', async () => {
    await mkdir(join(root, 'broken'), { recursive: true });
    await writeFile(join(root, 'broken', 'tokenizer.json'), '{"model": {"type": "Nope"}}');
    await writeFile(join(root, 'broken', 'tokenizer_config.json'), '{}');
    const error = await load('broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).where).toBe(`folder ${join(root, 'broken')}`);
    await expect(load('bert-tiny')).resolves.toBeDefined(); // a failed load leaves later loads working
  });

  it('refuses URLs as model names', async () => {
    await expect(load('https://huggingface.co/bert-base-uncased')).rejects.toThrow(ConfigError);
    await expect(load('https://huggingface.co/bert-base-uncased')).rejects.toThrow(/never downloads/);
  });

  it('loads concurrently from different roots without mixing them up', async () => {
    const other = join(root, 'other-root');
    await writeTinyBpe(other, 'bert-tiny'); // same name, different tokenizer
    const [bert, bpe] = await Promise.all([load('bert-tiny'), load('bert-tiny', { modelRoot: other })]);
    expect(bert.vocabSize).toBe(BERT_VOCAB.length);
    expect(bpe.vocabSize).toBe(BPE_VOCAB.length);
    expect((await initTransformers()).localModelPath).toBe(`${root}/`); // restored after the loads
  });
});

tokenizerConformance('transformers, WordPiece', async () => {
  await initTransformers({ modelRoot: root });
  return { tokenizer: await load('bert-tiny', { modelRoot: root }), words: ['The', 'cats', 'sat', 'on', 'mat', 'playing', ',', '.', 'dog', '[MASK]'] };
});
tokenizerConformance('transformers, byte-level BPE', async () => {
  await initTransformers({ modelRoot: root });
  return { tokenizer: await load('bpe-tiny', { modelRoot: root }), words: ['low', 'lower', 'lowest', 'slow', 'owe', 'l'] };
});
