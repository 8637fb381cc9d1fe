import { z } from 'zod';

/** The special tokens of a built-in tokenizer, as they are spelled in text and in its vocabulary. */
export const SpecialTokensSchema = z.strictObject({
  pad: z.string().min(1).describe('Padding; always id 0 in a fitted vocabulary.'),
  unk: z.string().min(1).describe('Stands for tokens outside the vocabulary; id 1 in a fitted vocabulary.'),
  bos: z.string().min(1).optional().describe('Opens a sequence when addBos is set. Default: none.'),
  eos: z.string().min(1).optional().describe('Closes a sequence when addEos is set. Default: none.'),
  mask: z.string().min(1).optional().describe('What masking augmentations write. Default: none.'),
});

/** How text becomes tokens; shared by the fit options and the saved config. */
export const VocabSettingsSchema = z.strictObject({
  level: z.enum(['word', 'char']).default('word').describe('Words and punctuation marks, or single characters. Default "word".'),
  lowercase: z.boolean().default(true).describe('Lower-case text before splitting. Default true.'),
  normalize: z
    .boolean()
    .default(true)
    .describe('Unicode NFKC, runs of whitespace as one space, trimmed. Default true.'),
  specialTokens: SpecialTokensSchema.default({ pad: '[PAD]', unk: '[UNK]', mask: '[MASK]' }).describe(
    'Special tokens, matched in text before normalization splits them. Default { pad: "[PAD]", unk: "[UNK]", mask: "[MASK]" }.',
  ),
  addBos: z.boolean().default(false).describe('Start every encoding with the bos token (which must be set). Default false.'),
  addEos: z.boolean().default(false).describe('End every encoding with the eos token (which must be set). Default false.'),
});

/**
 * The options of `VocabTokenizer.fit`: how text is split and which tokens of the training texts
 * enter the vocabulary. Plain JSON, so a run config can hold it.
 */
export const VocabOptionsSchema = VocabSettingsSchema.extend({
  minFrequency: z.int().min(1).default(1).describe('Keep tokens seen at least this often in training. Default 1.'),
  maxSize: z
    .int()
    .min(2)
    .optional()
    .describe('At most this many ids, special tokens included; the most frequent tokens win. Default: no limit.'),
});

/** Validated {@link VocabOptionsSchema}, defaults filled in. */
export type VocabOptions = z.output<typeof VocabOptionsSchema>;
/** What a user writes: {@link VocabOptions} with every defaulted field optional. */
export type VocabOptionsInput = z.input<typeof VocabOptionsSchema>;
/** Special token spellings of a built-in tokenizer. */
export type SpecialTokens = z.output<typeof SpecialTokensSchema>;
