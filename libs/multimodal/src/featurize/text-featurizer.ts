import { TransformersTokenizer, VocabTokenizer } from '@omnitrain/text';
import type { Tokenizer } from '@omnitrain/text';
import type { FeaturesConfig } from './features-config.js';

/** One text as model inputs: ids and attention mask, both `maxLength` long. */
export interface TextFeatures {
  ids: Int32Array;
  attentionMask: Int32Array;
}

/**
 * Turns texts into token ids of a fixed length with @omnitrain/text's tokenizers: the built-in
 * VocabTokenizer fitted on the training texts, or a transformers.js tokenizer from a local folder.
 * Encodings are cached per text.
 *
 * @example
 * const text = await TextFeaturizer.create(parseFeaturesConfig({}).text, trainTexts);
 * text.features('the number seven'); // { ids: Int32Array(8) [...], attentionMask: Int32Array(8) [1, 1, 1, 0, ...] }
 */
export class TextFeaturizer {
  /** The tokenizer in use. */
  readonly tokenizer: Tokenizer;
  /** Ids per text. */
  readonly maxLength: number;
  readonly #cache = new Map<string, TextFeatures>();

  private constructor(tokenizer: Tokenizer, maxLength: number) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
  }

  /**
   * Builds the tokenizer a config names.
   *
   * @param config The `text` section of a features config.
   * @param trainTexts The training split's texts, for the vocab tokenizer (ignored by transformers).
   * @throws DataError naming the folder when a transformers tokenizer cannot be read.
   */
  static async create(config: FeaturesConfig['text'], trainTexts: Iterable<string>): Promise<TextFeaturizer> {
    const t = config.tokenizer;
    const tokenizer =
      t.kind === 'vocab'
        ? VocabTokenizer.fit(trainTexts, { level: t.level, lowercase: t.lowercase, minFrequency: t.minFrequency })
        : await TransformersTokenizer.load(t);
    return new TextFeaturizer(tokenizer, config.maxLength);
  }

  /** Number of token ids (an embedding table's rows). */
  get vocabSize(): number {
    return this.tokenizer.vocabSize;
  }

  /**
   * The ids and mask of `text`, truncated at the end or padded to `maxLength`; cached.
   *
   * @param text The text.
   */
  features(text: string): TextFeatures {
    let f = this.#cache.get(text);
    if (!f) {
      const e = this.tokenizer.encodeBatch([text], { maxLength: this.maxLength, padding: 'max-length', truncate: 'end' });
      f = { ids: Int32Array.from(e.ids), attentionMask: Int32Array.from(e.attentionMask) };
      this.#cache.set(text, f);
    }
    return f;
  }
}
