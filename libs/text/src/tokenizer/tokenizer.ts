/** Ids of a tokenizer's special tokens; a token the tokenizer lacks is absent. */
export interface SpecialTokenIds {
  /** Fills padded positions of a batch. */
  pad?: number;
  /** Stands for text outside the vocabulary. */
  unk?: number;
  /** Opens a sequence (GPT-style). */
  bos?: number;
  /** Closes a sequence (GPT-style). */
  eos?: number;
  /** Opens a sequence (BERT's `[CLS]`). */
  cls?: number;
  /** Closes or separates sequences (BERT's `[SEP]`). */
  sep?: number;
  /** Replaces masked tokens (BERT's `[MASK]`). */
  mask?: number;
}

/** The serialized form of a {@link Tokenizer}: plain JSON tagged by `kind`. */
export interface TokenizerConfig {
  kind: string;
  [field: string]: unknown;
}

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Add the tokenizer's special tokens (`[CLS] ... [SEP]`, BOS/EOS). Default true. */
  addSpecialTokens?: boolean;
  /** At most this many ids, special tokens included; the special tokens are kept. Default: no limit. */
  maxLength?: number;
  /**
   * What a text longer than `maxLength` loses: `'end'` its last tokens, `'start'` its first ones;
   * `'error'` throws a DataError. Default `'end'`.
   */
  truncate?: 'end' | 'start' | 'error';
}

/** One text's ids. */
export interface Encoding {
  /** Token ids, special tokens included. */
  ids: Int32Array;
  /** 1 per id (every id of one encoding is real); batches add 0s for padding. */
  attentionMask: Uint8Array;
  /** Content tokens cut by truncation (0 when the text fit). */
  truncated: number;
}

/** Options of {@link Tokenizer.encodeBatch}. */
export interface BatchEncodeOptions extends EncodeOptions {
  /**
   * Row length: `'longest'` encoding of the batch (at most `maxLength`), or `'max-length'`
   * (exactly `maxLength`, which is then required). Default `'longest'`.
   */
  padding?: 'longest' | 'max-length';
  /** Where padding goes: `'end'` (right) or `'start'` (left). Default `'end'`. */
  padSide?: 'end' | 'start';
  /** Id of padded positions. Default: the tokenizer's pad token (a ConfigError if it has none and a row needs padding). */
  padId?: number;
}

/** Texts' ids padded into one `[batch, time]` block, with the mask of real positions. */
export interface BatchEncoding {
  /** `[batch, time]`, row-major. */
  ids: Int32Array;
  /** `[batch, time]`: 1 where an id is real, 0 where it is padding. */
  attentionMask: Uint8Array;
  /** `[batch, time]`. */
  shape: [number, number];
  /** Real ids per row. */
  lengths: Int32Array;
  /** Content tokens each row lost to truncation. */
  truncated: Int32Array;
}

/** Options of {@link Tokenizer.decode}. */
export interface DecodeOptions {
  /** Leave out special tokens (padding, `[CLS]`, unknown, ...). Default false. */
  skipSpecialTokens?: boolean;
}

/**
 * Omnitrain's tokenizer: text to ids and masks, batches padded and truncated, ids back to text,
 * saved as plain JSON (`getConfig`) and rebuilt with `tokenizerFromConfig`. Implementations: the
 * built-in {@link VocabTokenizer} (`kind: 'vocab'`) and transformers.js tokenizers read from a local
 * folder ({@link TransformersTokenizer}, `kind: 'transformers'`); more register in `tokenizers`.
 *
 * @example
 * const tok = await tokenizerFromConfig({ kind: 'transformers', model: 'bert-base-uncased' });
 * const batch = tok.encodeBatch(['a cat', 'a cat sat'], { maxLength: 128 });
 * batch.shape; // [2, 5]
 */
export interface Tokenizer {
  /** The registered kind (`vocab`, `transformers`). */
  readonly kind: string;
  /** Number of ids (the embedding table's rows). */
  readonly vocabSize: number;
  /** Ids of the special tokens it has. */
  readonly specialTokens: SpecialTokenIds;
  /** Every special id, including any beyond {@link SpecialTokenIds}. */
  readonly specialIds: readonly number[];
  /** Encodes one text. @throws DataError when it is too long with `truncate: 'error'`. */
  encode(text: string, options?: EncodeOptions): Encoding;
  /** Encodes texts into one padded block. @throws ConfigError on bad lengths or a missing pad id. */
  encodeBatch(texts: readonly string[], options?: BatchEncodeOptions): BatchEncoding;
  /** Turns ids back into text. @throws DataError on an id outside the vocabulary. */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  /** The id of a token of the vocabulary (as the vocabulary spells it), if it has one. */
  tokenToId(token: string): number | undefined;
  /** The token of an id, if the id is in the vocabulary. */
  idToToken(id: number): string | undefined;
  /** Everything needed to rebuild it, as plain JSON. */
  getConfig(): TokenizerConfig;
}
