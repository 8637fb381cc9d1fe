import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DataError, loadConfigObject } from '@omnitrain/core';

/** Options of {@link writeWordPieceModel}: how the BERT-style tokenizer normalizes, and its specials. */
export const WordPieceModelOptionsSchema = z.strictObject({
  lowercase: z.boolean().default(true).describe('Lower-case and strip accents first (an "uncased" model). Default true.'),
  modelMaxLength: z.int().positive().default(512).describe('model_max_length of tokenizer_config.json. Default 512.'),
  specialTokens: z
    .strictObject({
      pad: z.string().min(1).describe('Padding token.'),
      unk: z.string().min(1).describe('Unknown token.'),
      cls: z.string().min(1).describe('Opens every encoding.'),
      sep: z.string().min(1).describe('Closes every encoding.'),
      mask: z.string().min(1).describe('Mask token.'),
    })
    .default({ pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' })
    .describe('Special token spellings, all in the vocabulary. Default BERT\'s: [PAD], [UNK], [CLS], [SEP], [MASK].'),
});

/** What a user writes: every field of {@link WordPieceModelOptionsSchema} is optional. */
export type WordPieceModelOptions = z.input<typeof WordPieceModelOptionsSchema>;

const OP = 'text.writeWordPieceModel';

/**
 * Writes a BERT WordPiece model folder (tokenizer.json + tokenizer_config.json, the Hugging Face
 * `tokenizers` format) from a vocabulary in vocab.txt order (`vocab[id]`, continuations spelled
 * `##piece`), so a bare vocab.txt loads with {@link TransformersTokenizer}: BertNormalizer,
 * BertPreTokenizer, `[CLS] text [SEP]`, WordPiece decoder, as Hugging Face's BertTokenizerFast.
 *
 * @param folder The model folder to write (created if missing).
 * @param vocab The tokens, id = index; every special token must be among them, none twice.
 * @param options Casing, max length, special tokens (see {@link WordPieceModelOptionsSchema}).
 * @returns The absolute folder.
 * @throws DataError naming the token when a special token is missing or a token appears twice.
 * @example
 * const vocab = (await readFile('bert-base-uncased/vocab.txt', 'utf8')).split('\n').filter((t) => t !== '');
 * await writeWordPieceModel('models/bert-base-uncased', vocab);
 * const tok = await TransformersTokenizer.load({ kind: 'transformers', model: 'bert-base-uncased', modelRoot: 'models' });
 * tok.encode('hello world').ids; // Int32Array [101, 7592, 2088, 102]
 */
export async function writeWordPieceModel(folder: string, vocab: readonly string[], options: WordPieceModelOptions = {}): Promise<string> {
  const o = loadConfigObject(options, WordPieceModelOptionsSchema, { source: OP });
  const ids = new Map<string, number>();
  for (const [id, token] of vocab.entries()) {
    if (ids.has(token)) {
      throw new DataError({ op: OP, expected: 'each token once', received: `${JSON.stringify(token)} at ids ${ids.get(token)} and ${id}`, where: `folder ${folder}` });
    }
    ids.set(token, id);
  }
  const id = (token: string): number => {
    const found = ids.get(token);
    if (found === undefined) {
      throw new DataError({ op: OP, expected: `a vocabulary holding the special token ${token}`, received: `${vocab.length} tokens without it`, where: `folder ${folder}`, hint: 'name the specials this vocabulary uses in options.specialTokens' });
    }
    return found;
  };
  const { pad, unk, cls, sep, mask } = o.specialTokens;
  const added = [pad, unk, cls, sep, mask].map((content) => ({ id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: o.lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(cls), { Sequence: { id: 'A', type_id: 0 } }, special(sep)],
      pair: [special(cls), { Sequence: { id: 'A', type_id: 0 } }, special(sep), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: sep, type_id: 1 } }],
      special_tokens: {
        [cls]: { id: cls, ids: [id(cls)], tokens: [cls] },
        [sep]: { id: sep, ids: [id(sep)], tokens: [sep] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: unk, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(ids) },
  };
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: o.lowercase,
    model_max_length: o.modelMaxLength,
    pad_token: pad,
    unk_token: unk,
    cls_token: cls,
    sep_token: sep,
    mask_token: mask,
    clean_up_tokenization_spaces: true,
  };
  const dir = resolve(folder);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return dir;
}
