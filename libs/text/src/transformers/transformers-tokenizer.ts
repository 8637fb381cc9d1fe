import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DataError, loadConfigObject } from '@omnitrain/core';
import { finishEncoding } from '../tokenizer/finish-encoding.js';
import type { EncodingParts } from '../tokenizer/finish-encoding.js';
import { padEncodings } from '../tokenizer/pad-encodings.js';
import type {
  BatchEncodeOptions,
  BatchEncoding,
  DecodeOptions,
  EncodeOptions,
  Encoding,
  SpecialTokenIds,
  Tokenizer,
} from '../tokenizer/tokenizer.js';
import { defaultModelRoot, loadHfTokenizer } from './transformers-backend.js';
import type { HfTokenizer } from './transformers-backend.js';

/** The files a model folder must have for its tokenizer. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

/** The config of a {@link TransformersTokenizer}: which local folder it is read from. */
export const TransformersTokenizerConfigSchema = z.strictObject({
  kind: z.literal('transformers'),
  model: z
    .string()
    .min(1)
    .refine((m) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(m), {
      message: 'a local folder, not a URL: Omnitrain never downloads models',
    })
    .describe('The model folder: relative to modelRoot (a hub name such as "Xenova/bert-base-uncased" is a subfolder), or absolute.'),
  modelRoot: z
    .string()
    .min(1)
    .optional()
    .describe('Where model folders are. Default: initTransformers({ modelRoot }), else $OMNITRAIN_MODEL_ROOT, else ./models.'),
});

/** Validated {@link TransformersTokenizerConfigSchema}. */
export type TransformersTokenizerConfig = z.output<typeof TransformersTokenizerConfigSchema>;

const LOAD = 'text.TransformersTokenizer.load';

/**
 * A Hugging Face tokenizer (tokenizer.json: WordPiece, BPE, Unigram, ...) run by transformers.js,
 * read from a local folder only: remote loading is off, and a missing folder is a DataError that
 * names it, never a download. Truncation keeps the special tokens (`[CLS] ... [SEP]`).
 *
 * @example
 * const tok = await TransformersTokenizer.load({ kind: 'transformers', model: 'bert-base-uncased', modelRoot: '/models' });
 * tok.encode('Hello world').ids; // Int32Array [101, 7592, 2088, 102]
 */
export class TransformersTokenizer implements Tokenizer {
  readonly kind = 'transformers';
  /** Absolute path of the model folder. */
  readonly folder: string;
  readonly #config: TransformersTokenizerConfig;
  readonly #hf: HfTokenizer;

  private constructor(config: TransformersTokenizerConfig, folder: string, hf: HfTokenizer) {
    this.#config = config;
    this.folder = folder;
    this.#hf = hf;
  }

  /**
   * Loads the tokenizer of `<modelRoot>/<model>`, checking first that tokenizer.json and
   * tokenizer_config.json are there.
   *
   * @param config `{ kind: 'transformers', model, modelRoot? }` (see {@link TransformersTokenizerConfigSchema}).
   * @throws ConfigError on a malformed config (a URL for a model, say).
   * @throws DataError naming the folder when a file is missing, unreadable or malformed.
   * @example const gpt2 = await TransformersTokenizer.load({ kind: 'transformers', model: 'gpt2' });
   */
  static async load(config: unknown): Promise<TransformersTokenizer> {
    const c = loadConfigObject(config, TransformersTokenizerConfigSchema, { source: 'TransformersTokenizer.load' });
    const folder = resolve(c.modelRoot ?? defaultModelRoot(), c.model);
    const where = `folder ${folder}`;
    const hint = `Omnitrain never downloads models: put the model's ${TOKENIZER_FILES.join(' and ')} in that folder, or point modelRoot (or $OMNITRAIN_MODEL_ROOT) at the folder that has it`;
    for (const file of TOKENIZER_FILES) {
      const info = await stat(join(folder, file)).catch(() => undefined);
      if (!info?.isFile()) {
        const received = (await stat(folder).catch(() => undefined))?.isDirectory() ? `no ${file}` : 'no such folder';
        throw new DataError({ op: LOAD, expected: `a model folder with ${TOKENIZER_FILES.join(' and ')}`, received, where, hint });
      }
    }
    const hf = await loadHfTokenizer(folder).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      throw new DataError({ op: LOAD, expected: 'a tokenizer transformers.js can read', received: message, where, cause: e });
    });
    return new TransformersTokenizer(c, folder, hf);
  }

  get vocabSize(): number {
    return this.#hf.vocabSize;
  }

  get specialTokens(): SpecialTokenIds {
    return { ...this.#hf.specialTokens };
  }

  get specialIds(): readonly number[] {
    return this.#hf.specialIds;
  }

  /** `model_max_length` of tokenizer_config.json, when it sets a real limit; encoding does not apply it unasked. */
  get modelMaxLength(): number | undefined {
    return this.#hf.modelMaxLength;
  }

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const add = options.addSpecialTokens ?? true;
    const full = this.#ids(text, add);
    const needsCut = add && options.maxLength !== undefined && full.length > options.maxLength;
    const parts = needsCut ? splitSpecials(full, this.#ids(text, false)) : { prefix: [], content: full, suffix: [] };
    return finishEncoding(parts, options, 'text.TransformersTokenizer.encode');
  }

  encodeBatch(texts: readonly string[], options: BatchEncodeOptions = {}): BatchEncoding {
    const encodings = texts.map((t) => this.encode(t, options));
    return padEncodings(encodings, { ...options, padId: options.padId ?? this.#hf.specialTokens.pad }, 'text.TransformersTokenizer.encodeBatch');
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const list = Array.from(ids);
    const bad = list.find((id) => this.idToToken(id) === undefined);
    if (bad !== undefined) {
      throw new DataError({
        op: 'text.TransformersTokenizer.decode',
        expected: `ids in [0, ${this.vocabSize})`,
        received: String(bad),
        where: `folder ${this.folder}`,
      });
    }
    return list.length === 0 ? '' : this.#hf.decode(list, options.skipSpecialTokens ?? false);
  }

  tokenToId(token: string): number | undefined {
    return this.#hf.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return Number.isInteger(id) && id >= 0 ? this.#hf.idToToken(id) : undefined;
  }

  getConfig(): TransformersTokenizerConfig {
    return { ...this.#config };
  }

  #ids(text: string, addSpecialTokens: boolean): number[] {
    const ids = this.#hf.encode(text, addSpecialTokens);
    const unk = this.#hf.specialTokens.unk;
    if (!ids.includes(undefined)) return ids as number[];
    if (unk !== undefined) return ids.map((id) => id ?? unk);
    throw new DataError({
      op: 'text.TransformersTokenizer.encode',
      expected: 'text whose every token is in the vocabulary (the tokenizer has no unknown token)',
      received: `${ids.filter((id) => id === undefined).length} unknown token(s) in ${JSON.stringify(text.slice(0, 60))}`,
      where: `folder ${this.folder}`,
      hint: 'byte-level BPE vocabularies hold all 256 bytes; this one lacks some',
    });
  }
}

/** Locates the content ids inside the ids with special tokens; falls back to all-content. */
function splitSpecials(full: readonly number[], content: readonly number[]): EncodingParts {
  for (let p = 0; p + content.length <= full.length; p++) {
    if (content.every((id, i) => full[p + i] === id)) {
      return { prefix: full.slice(0, p), content, suffix: full.slice(p + content.length) };
    }
  }
  return { prefix: [], content: full, suffix: [] };
}
