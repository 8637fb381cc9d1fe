import { z } from 'zod';
import { ConfigError, DataError, loadConfigObject } from '@omnitrain/core';
import { normalizeText } from '@omnitrain/data';
import { finishEncoding } from '../tokenizer/finish-encoding.js';
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
import { splitTokens } from './split-tokens.js';
import { VocabOptionsSchema, VocabSettingsSchema } from './vocab-options.js';
import type { VocabOptionsInput } from './vocab-options.js';

const SPECIAL_NAMES = ['pad', 'unk', 'bos', 'eos', 'mask'] as const;

/** The saved form of a {@link VocabTokenizer}: its settings and its whole vocabulary. */
export const VocabTokenizerConfigSchema = VocabSettingsSchema.extend({
  kind: z.literal('vocab'),
  tokens: z.array(z.string().min(1)).describe('The vocabulary: tokens[id], special tokens included.'),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  for (const [i, t] of c.tokens.entries()) {
    if (seen.has(t)) ctx.addIssue({ code: 'custom', path: ['tokens', i], message: `token ${JSON.stringify(t)} appears twice` });
    seen.add(t);
  }
  for (const name of SPECIAL_NAMES) {
    const t = c.specialTokens[name];
    if (t !== undefined && !seen.has(t)) {
      ctx.addIssue({ code: 'custom', path: ['specialTokens', name], message: `${JSON.stringify(t)} is not in tokens` });
    }
  }
  const spelled = new Map<string, string>(); // normalized spelling -> spelling
  for (const name of SPECIAL_NAMES) {
    const t = c.specialTokens[name];
    if (t === undefined) continue;
    const n = normalizeForVocab(t, c);
    const other = spelled.get(n);
    if (n === '' || (other !== undefined && other !== t)) {
      const clash = n === '' ? 'nothing' : `${JSON.stringify(n)}, as ${JSON.stringify(other)} does`;
      ctx.addIssue({ code: 'custom', path: ['specialTokens', name], message: `normalizes to ${clash}` });
    }
    spelled.set(n, t);
  }
  for (const [flag, name] of [['addBos', 'bos'], ['addEos', 'eos']] as const) {
    if (c[flag] && c.specialTokens[name] === undefined) {
      ctx.addIssue({ code: 'custom', path: [flag], message: `needs specialTokens.${name}` });
    }
  }
});

/** Validated {@link VocabTokenizerConfigSchema}. */
export type VocabTokenizerConfig = z.output<typeof VocabTokenizerConfigSchema>;

type Settings = Pick<VocabTokenizerConfig, 'lowercase' | 'normalize'>;

function normalizeForVocab(text: string, s: Settings): string {
  if (s.normalize && s.lowercase) return normalizeText(text);
  const t = s.normalize ? text.normalize('NFKC').replace(/\s+/g, ' ').trim() : text;
  return s.lowercase ? t.toLowerCase() : t;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The built-in tokenizer: word-level (words and punctuation marks) or character-level, with a
 * vocabulary fitted on the training texts (minimum frequency, maximum size) and an unknown token
 * for the rest. Needs no files; its config (`getConfig`) is the whole vocabulary, as JSON.
 * Special tokens written in text (`[MASK]` from a masking augmentation) encode to their ids.
 *
 * @example
 * const tok = VocabTokenizer.fit(train.map((s) => s.text!), { level: 'word', minFrequency: 2, maxSize: 20000 });
 * tok.encodeBatch(['A cat.', 'The cat sat'], { maxLength: 64 }).shape; // [2, 3]
 * await saveTokenizer(tok, 'runs/a/tokenizer.json');
 */
export class VocabTokenizer implements Tokenizer {
  readonly kind = 'vocab';
  readonly specialTokens: SpecialTokenIds;
  readonly specialIds: readonly number[];
  readonly #config: VocabTokenizerConfig;
  readonly #ids: Map<string, number>;
  readonly #special: Map<string, number>;
  readonly #specialPattern: RegExp;

  private constructor(config: VocabTokenizerConfig) {
    this.#config = config;
    this.#ids = new Map(config.tokens.map((t, i) => [t, i]));
    const ids: SpecialTokenIds = {};
    this.#special = new Map();
    for (const name of SPECIAL_NAMES) {
      const token = config.specialTokens[name];
      if (token === undefined) continue;
      ids[name] = this.#ids.get(token)!;
      this.#special.set(normalizeForVocab(token, config), ids[name]);
    }
    this.specialTokens = ids;
    this.specialIds = [...new Set(this.#special.values())].sort((a, b) => a - b);
    const alternatives = [...this.#special.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#specialPattern = new RegExp(`(${alternatives.join('|')})`);
  }

  /**
   * Fits a vocabulary on training texts: the special tokens first (pad = 0, unk = 1, then bos,
   * eos, mask when set), then every token seen at least `minFrequency` times, most frequent first
   * (ties in code-point order), up to `maxSize` ids in all.
   *
   * @param texts The training split's texts only (fitting on validation text leaks it).
   * @param options Level, normalization, special tokens, frequency and size limits (see {@link VocabOptionsSchema}).
   * @throws ConfigError on invalid options.
   * @example VocabTokenizer.fit(['a b b', 'b c'], { minFrequency: 2 }).getConfig().tokens // ['[PAD]', '[UNK]', '[MASK]', 'b']
   */
  static fit(texts: Iterable<string>, options: VocabOptionsInput = {}): VocabTokenizer {
    const { minFrequency, maxSize, ...settings } = loadConfigObject(options, VocabOptionsSchema, { source: 'VocabTokenizer.fit' });
    const specials = [...new Set(SPECIAL_NAMES.flatMap((n) => settings.specialTokens[n] ?? []))];
    if (maxSize !== undefined && maxSize < specials.length) {
      throw new ConfigError({
        op: 'text.VocabTokenizer.fit',
        expected: `maxSize >= ${specials.length} (the special tokens)`,
        received: String(maxSize),
      });
    }
    const splitter = VocabTokenizer.fromConfig({ kind: 'vocab', ...settings, tokens: specials });
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const piece of splitter.#pieces(text)) {
        if (typeof piece === 'string') counts.set(piece, (counts.get(piece) ?? 0) + 1);
      }
    }
    const kept = [...counts]
      .filter(([t, n]) => n >= minFrequency && !specials.includes(t))
      .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
      .map(([t]) => t);
    const room = maxSize === undefined ? kept.length : maxSize - specials.length;
    return VocabTokenizer.fromConfig({ kind: 'vocab', ...settings, tokens: [...specials, ...kept.slice(0, room)] });
  }

  /**
   * Rebuilds a tokenizer from {@link VocabTokenizer.getConfig} output.
   *
   * @throws ConfigError listing every problem (duplicate tokens, special tokens missing from the vocabulary, ...).
   * @example VocabTokenizer.fromConfig(JSON.parse(await readFile('tokenizer.json', 'utf8')));
   */
  static fromConfig(config: unknown): VocabTokenizer {
    return new VocabTokenizer(loadConfigObject(config, VocabTokenizerConfigSchema, { source: 'VocabTokenizer.fromConfig' }));
  }

  get vocabSize(): number {
    return this.#config.tokens.length;
  }

  /** Word-level or character-level. */
  get level(): 'word' | 'char' {
    return this.#config.level;
  }

  /** Text as the tokenizer sees it before splitting (normalized, lower-cased as configured). */
  normalize(text: string): string {
    return normalizeForVocab(text, this.#config);
  }

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const content = this.#pieces(text).map((p) => (typeof p === 'number' ? p : (this.#ids.get(p) ?? this.specialTokens.unk!)));
    const add = options.addSpecialTokens ?? true;
    const { bos, eos } = this.specialTokens;
    const prefix = add && this.#config.addBos ? [bos!] : [];
    const suffix = add && this.#config.addEos ? [eos!] : [];
    return finishEncoding({ prefix, content, suffix }, options, 'text.VocabTokenizer.encode');
  }

  encodeBatch(texts: readonly string[], options: BatchEncodeOptions = {}): BatchEncoding {
    const encodings = texts.map((t) => this.encode(t, options));
    return padEncodings(encodings, { ...options, padId: options.padId ?? this.specialTokens.pad }, 'text.VocabTokenizer.encodeBatch');
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of Array.from(ids)) {
      const token = this.idToToken(id);
      if (token === undefined) {
        throw new DataError({
          op: 'text.VocabTokenizer.decode',
          expected: `ids in [0, ${this.vocabSize})`,
          received: String(id),
          hint: 'decode ids from this tokenizer, with the same vocabulary',
        });
      }
      if (!(options.skipSpecialTokens && this.specialIds.includes(id))) tokens.push(token);
    }
    return tokens.join(this.#config.level === 'word' ? ' ' : '');
  }

  tokenToId(token: string): number | undefined {
    return this.#ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return Number.isInteger(id) ? this.#config.tokens[id] : undefined;
  }

  getConfig(): VocabTokenizerConfig {
    const c = this.#config;
    return { ...c, specialTokens: { ...c.specialTokens }, tokens: [...c.tokens] };
  }

  /** The text's tokens: special token ids, and the other pieces as strings. */
  #pieces(text: string): Array<string | number> {
    const parts = this.normalize(text).split(this.#specialPattern);
    return parts.flatMap((part, i): Array<string | number> => (i % 2 === 1 ? [this.#special.get(part)!] : splitTokens(part, this.#config.level)));
  }
}
