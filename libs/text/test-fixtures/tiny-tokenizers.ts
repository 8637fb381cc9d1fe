// Tiny Hugging Face tokenizer folders (tokenizer.json + tokenizer_config.json) whose exact ids tests
// check against hand-computed expectations: BPE written by hand in the `tokenizers` JSON format,
// WordPiece through writeWordPieceModel (so those expectations check it too).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeWordPieceModel } from '@omnitrain/text';

const added = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/** The WordPiece vocabulary of {@link writeTinyBert}: BERT's specials, then a few words and pieces. */
export const BERT_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '##s', 'play', '##ing', '.', ','];

/** The byte-level BPE vocabulary of {@link writeTinyBpe} (`Ġ` is the byte-level space). */
export const BPE_VOCAB = ['l', 'o', 'w', 'e', 'r', 's', 't', 'Ġ', 'lo', 'low', 'er', 'Ġlow', '<|endoftext|>'];

async function writeFolder(root: string, name: string, tokenizer: object, config: object): Promise<string> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(join(folder, 'tokenizer_config.json'), JSON.stringify(config));
  return folder;
}

/**
 * A lower-casing BERT WordPiece tokenizer (BertNormalizer, BertPreTokenizer, `[CLS] $A [SEP]`,
 * WordPiece decoder) over {@link BERT_VOCAB}, with `model_max_length` 16.
 */
export function writeTinyBert(root: string, name = 'bert-tiny'): Promise<string> {
  return writeWordPieceModel(join(root, name), BERT_VOCAB, { modelMaxLength: 16 });
}

/**
 * A GPT-2-style byte-level BPE tokenizer over {@link BPE_VOCAB} with merges `l o`, `lo w`, `e r`,
 * `Ġ low`, no unknown token, and `<|endoftext|>` as bos, eos (and so pad) token; `extraConfig`
 * adds to its tokenizer_config.json (GPT-2's own names `<|endoftext|>` as unk_token too).
 */
export function writeTinyBpe(root: string, name = 'bpe-tiny', extraConfig: object = {}): Promise<string> {
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ ...added(12, '<|endoftext|>'), normalized: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(BPE_VOCAB.map((t, i) => [t, i])),
      merges: ['l o', 'lo w', 'e r', 'Ġ low'],
    },
  };
  const config = {
    tokenizer_class: 'GPT2Tokenizer',
    model_max_length: 1024,
    bos_token: '<|endoftext|>',
    eos_token: '<|endoftext|>',
    add_prefix_space: false,
    ...extraConfig,
  };
  return writeFolder(root, name, tokenizer, config);
}
