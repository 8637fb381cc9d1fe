/** What {@link countNonzero} counts. */
export interface NonzeroCount {
  /** Elements over all tensors. */
  readonly total: number;
  /** Elements that are not 0. */
  readonly nonzero: number;
  /** `1 - nonzero / total` (0 for no elements). */
  readonly sparsity: number;
}

/**
 * Counts the nonzero elements of numeric arrays (tensor data, safetensors data).
 *
 * @param arrays The arrays (Float32Array, Int8Array, ... or plain number arrays).
 * @returns total, nonzero and sparsity.
 *
 * @example
 * countNonzero([new Float32Array([0, 1, 2, 0])]); // { total: 4, nonzero: 2, sparsity: 0.5 }
 */
export function countNonzero(arrays: Iterable<ArrayLike<number>>): NonzeroCount {
  let total = 0;
  let nonzero = 0;
  for (const a of arrays) {
    total += a.length;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) nonzero++;
  }
  return { total, nonzero, sparsity: total === 0 ? 0 : 1 - nonzero / total };
}
