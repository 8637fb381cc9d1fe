import { ConfigError, DataError } from '@omnitrain/core';
import type { EncodeOptions, Encoding } from './tokenizer.js';

/** A text's ids as the special ids before its content, the content, and the special ids after it. */
export interface EncodingParts {
  prefix: readonly number[];
  content: readonly number[];
  suffix: readonly number[];
}

const TRUNCATE = ['end', 'start', 'error'];

/**
 * Assembles an {@link Encoding} from its parts, truncating the content (never the special tokens)
 * to `maxLength`, as Hugging Face tokenizers do. Tokenizer implementations call it from `encode`,
 * so every implementation truncates the same way.
 *
 * @param parts Special ids and content ids.
 * @param options `maxLength` and `truncate` (see {@link EncodeOptions}); `addSpecialTokens` is the caller's.
 * @param op The operation named in errors. Default `'text.encode'`.
 * @throws ConfigError when `maxLength` is not an integer or leaves no room for the special tokens.
 * @throws DataError when the content is too long and `truncate` is `'error'`.
 * @example
 * finishEncoding({ prefix: [2], content: [5, 6, 7], suffix: [3] }, { maxLength: 4 }).ids; // [2, 5, 6, 3]
 */
export function finishEncoding(parts: EncodingParts, options: EncodeOptions = {}, op = 'text.encode'): Encoding {
  const { maxLength, truncate = 'end' } = options;
  const special = parts.prefix.length + parts.suffix.length;
  if (!TRUNCATE.includes(truncate)) {
    throw new ConfigError({ op, expected: `truncate one of ${TRUNCATE.join(', ')}`, received: JSON.stringify(truncate) });
  }
  let content = parts.content;
  if (maxLength !== undefined) {
    if (!Number.isInteger(maxLength) || maxLength < special) {
      throw new ConfigError({
        op,
        expected: `an integer maxLength >= ${special} (the special tokens it adds)`,
        received: String(maxLength),
        hint: special > 0 ? 'raise maxLength, or encode with addSpecialTokens: false' : undefined,
      });
    }
    const room = maxLength - special;
    if (content.length > room) {
      if (truncate === 'error') {
        throw new DataError({
          op,
          expected: `at most ${maxLength} tokens`,
          received: `${content.length + special} tokens`,
          hint: 'raise maxLength, or set truncate: "end" or "start"',
        });
      }
      content = truncate === 'start' ? content.slice(content.length - room) : content.slice(0, room);
    }
  }
  const ids = Int32Array.from([...parts.prefix, ...content, ...parts.suffix]);
  return { ids, attentionMask: new Uint8Array(ids.length).fill(1), truncated: parts.content.length - content.length };
}
