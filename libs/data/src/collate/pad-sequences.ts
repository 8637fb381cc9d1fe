import { ConfigError, DataError } from '@omnitrain/core';

/** Options of {@link padSequences}. */
export interface PadOptions {
  /** Steps per padded sequence: `'longest'` in the batch, or a fixed number. Default `'longest'`. */
  length?: 'longest' | number;
  /** With `length: 'longest'`, at most this many steps. Default: no limit. */
  maxLength?: number;
  /**
   * What happens to a sequence longer than the padded length: `'end'` cuts its tail (keeps the
   * first steps), `'start'` cuts its head (keeps the last steps), `'error'` throws. Default `'end'`.
   */
  truncate?: 'end' | 'start' | 'error';
  /** Where padding goes: `'end'` (after the steps) or `'start'` (before them). Default `'end'`. */
  padSide?: 'end' | 'start';
  /** Value of padded positions. Default 0. */
  padValue?: number;
  /** Numbers per step, e.g. mel bins for audio frames (1 for token ids). Default 1. */
  featureSize?: number;
  /** Element type of `data`. Default `'int32'` if every sequence is an Int32Array, else `'float32'`. */
  dtype?: 'float32' | 'int32';
  /** Sample ids, named in errors. Default: the sequence's index. */
  ids?: readonly string[];
}

/** Sequences padded into one array, with the mask of real steps. */
export interface PaddedBatch {
  /** `[batch, time, featureSize]`, row-major. */
  data: Float32Array | Int32Array;
  /** `[batch, time]`: 1 where a step is real, 0 where it is padding. */
  mask: Uint8Array;
  /** Real steps kept per sequence (after truncation). */
  lengths: Int32Array;
  /** Steps cut from each sequence by truncation (0 when it fit). */
  truncated: Int32Array;
  /** `[batch, time, featureSize]`. */
  shape: [number, number, number];
}

/**
 * Pads (and, past the length, truncates) variable-length sequences such as audio frames or token
 * ids into one `[batch, time, featureSize]` array and a `[batch, time]` mask, so a batch can be one
 * tensor and the model can ignore the padding.
 *
 * @param sequences Each sequence flattened step-major: `steps * featureSize` numbers.
 * @param options Length, truncation and padding rules, feature size, dtype (see {@link PadOptions}).
 * @throws DataError when a sequence is not a whole number of steps, or is too long with `truncate: 'error'`.
 * @example
 * const b = padSequences([Int32Array.of(5, 6, 7), Int32Array.of(8)]);
 * // b.data = [5, 6, 7, 8, 0, 0], b.mask = [1, 1, 1, 1, 0, 0], b.shape = [2, 3, 1]
 */
export function padSequences(sequences: ReadonlyArray<ArrayLike<number>>, options: PadOptions = {}): PaddedBatch {
  const f = options.featureSize ?? 1;
  const steps = sequences.map((s, i) => stepsOf(s, f, options.ids?.[i] ?? `#${i}`));
  const time = paddedLength(steps, options);
  const int = options.dtype ? options.dtype === 'int32' : sequences.length > 0 && sequences.every((s) => s instanceof Int32Array);
  const data = int ? new Int32Array(sequences.length * time * f) : new Float32Array(sequences.length * time * f);
  data.fill(options.padValue ?? 0);
  const mask = new Uint8Array(sequences.length * time);
  const lengths = new Int32Array(sequences.length);
  const truncated = new Int32Array(sequences.length);
  sequences.forEach((seq, b) => {
    const n = steps[b]!;
    const keep = Math.min(n, time);
    if (keep < n && options.truncate === 'error') {
      throw new DataError({
        op: 'data.padSequences',
        expected: `at most ${time} steps`,
        received: `${n} steps`,
        where: `sample ${options.ids?.[b] ?? `#${b}`}`,
        hint: 'raise the length, or set truncate: "end" or "start"',
      });
    }
    const from = options.truncate === 'start' ? n - keep : 0; // first kept step of the input
    const to = options.padSide === 'start' ? time - keep : 0; // first real step of the output
    for (let t = 0; t < keep; t++) {
      mask[b * time + to + t] = 1;
      for (let k = 0; k < f; k++) data[(b * time + to + t) * f + k] = seq[(from + t) * f + k]!;
    }
    lengths[b] = keep;
    truncated[b] = n - keep;
  });
  return { data, mask, lengths, truncated, shape: [sequences.length, time, f] };
}

function stepsOf(seq: ArrayLike<number>, featureSize: number, id: string): number {
  if (!Number.isInteger(featureSize) || featureSize < 1 || seq.length % featureSize !== 0) {
    throw new DataError({
      op: 'data.padSequences',
      expected: `a whole number of steps of featureSize ${featureSize}`,
      received: `${seq.length} numbers`,
      where: `sample ${id}`,
    });
  }
  return seq.length / featureSize;
}

function paddedLength(steps: readonly number[], options: PadOptions): number {
  const { length = 'longest', maxLength = Infinity } = options;
  if (length === 'longest') {
    if (!(maxLength === Infinity || (Number.isInteger(maxLength) && maxLength >= 0))) badLength(options);
    return Math.min(steps.reduce((a, b) => Math.max(a, b), 0), maxLength);
  }
  if (!Number.isInteger(length) || length < 0) badLength(options);
  return length;
}

function badLength(options: PadOptions): never {
  throw new ConfigError({
    op: 'data.padSequences',
    expected: 'length "longest" or an integer >= 0, and maxLength >= 0',
    received: `length=${options.length}, maxLength=${options.maxLength}`,
  });
}
