import { ConfigError, Registry } from '@omnitrain/core';
import type { Tokenizer, TokenizerConfig } from './tokenizer.js';

/**
 * Rebuilders of tokenizers from their configs, by kind. This lib registers `vocab` and
 * `transformers` in its registration file; others add theirs the same way.
 *
 * @example tokenizers.register('sentencepiece', (config) => SentencePieceTokenizer.load(config));
 */
export const tokenizers = new Registry<(config: TokenizerConfig) => Tokenizer | Promise<Tokenizer>>('tokenizer');

/**
 * Builds a tokenizer from its {@link Tokenizer.getConfig} output (or a hand-written config).
 *
 * @param config Plain JSON with a `kind`.
 * @throws ConfigError on an unknown kind (listing the known ones) or malformed fields.
 * @throws DataError when the tokenizer's files are missing or unreadable.
 * @example
 * const tok = await tokenizerFromConfig({ kind: 'transformers', model: 'bert-base-uncased', modelRoot: '/models' });
 */
export async function tokenizerFromConfig(config: TokenizerConfig): Promise<Tokenizer> {
  if (typeof config?.kind !== 'string') {
    throw new ConfigError({
      op: 'text.tokenizerFromConfig',
      expected: 'an object with a string kind',
      received: JSON.stringify(config),
      hint: `kinds: ${tokenizers.list().join(', ')}`,
    });
  }
  return tokenizers.get(config.kind)(config);
}
