import { ConfigError } from '@omnitrain/core';
import { padSequences } from '@omnitrain/data';
import type { BatchEncodeOptions, BatchEncoding, Encoding } from './tokenizer.js';

/**
 * Pads encodings into one `[batch, time]` block with its attention mask (data's `padSequences`).
 * Tokenizer implementations call it from `encodeBatch` after encoding (and truncating) each text.
 *
 * @param encodings One per text, already truncated to `options.maxLength`.
 * @param options Padding rule, side and id (see {@link BatchEncodeOptions}); `padId` is required
 *   as soon as a row is shorter than the block.
 * @param op The operation named in errors. Default `'text.encodeBatch'`.
 * @throws ConfigError when `padding` is `'max-length'` without `maxLength`, or a row needs padding and there is no pad id.
 * @example
 * padEncodings([tok.encode('a cat'), tok.encode('a')], { padId: 0 }).attentionMask; // [1,1,1,1, 1,1,1,0]
 */
export function padEncodings(
  encodings: readonly Encoding[],
  options: BatchEncodeOptions = {},
  op = 'text.encodeBatch',
): BatchEncoding {
  const { padding = 'longest', maxLength, padSide = 'end', padId } = options;
  if (padding !== 'longest' && padding !== 'max-length') {
    throw new ConfigError({ op, expected: 'padding "longest" or "max-length"', received: JSON.stringify(padding) });
  }
  if (padding === 'max-length' && maxLength === undefined) {
    throw new ConfigError({ op, expected: 'maxLength with padding "max-length"', received: 'no maxLength' });
  }
  const time = padding === 'max-length' ? maxLength! : Math.max(0, ...encodings.map((e) => e.ids.length));
  if (padId === undefined && encodings.some((e) => e.ids.length < time)) {
    throw new ConfigError({
      op,
      expected: 'a pad id for rows shorter than the batch',
      received: 'a tokenizer without a pad token',
      hint: 'pass padId (e.g. the eos id), or encode texts one at a time',
    });
  }
  const padded = padSequences(
    encodings.map((e) => e.ids),
    { length: time, padSide, padValue: padId ?? 0, dtype: 'int32', truncate: 'error' },
  );
  return {
    ids: padded.data as Int32Array,
    attentionMask: padded.mask,
    shape: [encodings.length, time],
    lengths: padded.lengths,
    truncated: Int32Array.from(encodings, (e) => e.truncated),
  };
}
