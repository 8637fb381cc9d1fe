/**
 * Hashes a seed and a list of labels (purpose names, ranks, counters) into a 32-bit value.
 * The same inputs always give the same output; changing any label changes it unpredictably
 * (murmur3-style mixing over every character and number).
 *
 * @example deriveSeed(42, 'shuffle', 0) // => a 32-bit unsigned integer
 */
export function deriveSeed(seed: number, ...labels: ReadonlyArray<string | number>): number {
  let h = fmix32(Math.trunc(seed) ^ 0x9e3779b9) ^ fmix32(Math.trunc(seed / 2 ** 32) + 0x7f4a7c15);
  for (const label of labels) {
    const text = typeof label === 'number' ? `#${label}` : `$${label}`;
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
      h ^= h >>> 15;
    }
    h = fmix32(h ^ text.length);
  }
  return h >>> 0;
}

/** The murmur3 32-bit finalizer: a bijection that spreads every input bit over the output. */
function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
