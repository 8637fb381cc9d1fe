import type { MelFilterBank } from './mel-filter-bank.js';

/** A mel filter bank stored by band, only over each band's non-zero bins. */
export interface SparseMelBands {
  /** Band m covers bins first[m] .. first[m] + (offset[m + 1] - offset[m]) - 1 ... */
  first: Int32Array;
  /** ... with weights[offset[m] ..]; `nMels + 1` entries. */
  offset: Int32Array;
  weights: Float64Array;
}

/**
 * The bands of a dense `[nFreqs, nMels]` filter bank as contiguous runs of non-zero weights, so
 * the mel product costs about 2 multiply-adds per bin instead of nMels. Internal to the spectral code.
 *
 * @example
 * const bands = sparseMelBands(melFilterBank({ nFreqs: 201, nMels: 80 }));
 * bands.offset[80] // total stored weights, ~2 * 201
 */
export function sparseMelBands(fb: MelFilterBank): SparseMelBands {
  const { nFreqs, nMels } = fb;
  const bands = Array.from({ length: nMels }, (_, m) => {
    const column = Float64Array.from({ length: nFreqs }, (_, f) => fb.weights[f * nMels + m]!);
    let first = column.findIndex((w) => w !== 0);
    if (first < 0) first = 0;
    let end = nFreqs;
    while (end > first && column[end - 1] === 0) end--;
    return { first, weights: column.slice(first, end) };
  });
  const first = Int32Array.from(bands, (b) => b.first);
  const offset = new Int32Array(nMels + 1);
  bands.forEach((b, m) => (offset[m + 1] = offset[m]! + b.weights.length));
  const weights = new Float64Array(offset[nMels]!);
  bands.forEach((b, m) => weights.set(b.weights, offset[m]));
  return { first, offset, weights };
}
