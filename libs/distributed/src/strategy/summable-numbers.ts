/** Floats each number takes in a float32 all-reduce buffer ({@link writeSummableNumbers}). */
export const PARTS_PER_NUMBER = 3;

/** Every rank adds this to the slot after the numbers: not exact in float16, so a lossy wire shows (2049 x ranks). */
const SENTINEL = 2049;

/**
 * Float32 slots {@link writeSummableNumbers} fills for `count` numbers (three parts each plus one
 * check slot).
 *
 * @example
 * const slots = summableNumberSlots(3); // 10
 */
export function summableNumberSlots(count: number): number {
  return count * PARTS_PER_NUMBER + 1;
}

/**
 * Writes `values` into `dst[offset ..]` so that a float32 sum over ranks keeps them to about 1e-9:
 * each value v is split into a multiple of 256, a multiple of 2^-8 below 128 in magnitude (both
 * sum exactly in float32 while the sums stay below 2^32 in magnitude, up to 512 ranks) and a remainder below 2^-9 (the
 * only part float32 rounds); then one check slot ({@link readSummedNumbers} tells whether the wire
 * kept the bits).
 *
 * @param values This rank's numbers (finite or not).
 * @param dst The buffer that will be all-reduced with `sum`.
 * @param offset Where the first of {@link summableNumberSlots} slots goes.
 * @example
 * writeSummableNumbers([lossSum, correct, count], bucket, gradLength);
 */
export function writeSummableNumbers(values: readonly number[], dst: Float32Array, offset: number): void {
  values.forEach((v, i) => {
    const at = offset + PARTS_PER_NUMBER * i;
    if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 31) {
      // Non-finite values pass through; huge ones keep float32's relative precision.
      dst[at] = v;
      dst[at + 1] = Number.isFinite(v) ? v - Math.fround(v) : 0;
      dst[at + 2] = 0;
      return;
    }
    const high = Math.round(v / 256) * 256;
    const mid = Math.round((v - high) * 256) / 256;
    dst[at] = high;
    dst[at + 1] = mid;
    dst[at + 2] = v - high - mid;
  });
  dst[offset + PARTS_PER_NUMBER * values.length] = SENTINEL;
}

/**
 * Reads the sums of `count` numbers written by {@link writeSummableNumbers} on every rank and summed
 * in float32; `undefined` when the check slot shows the sum was not exact (a float16 wire), so the
 * caller reduces the numbers another way. Every rank holds the same bits, so every rank decides alike.
 *
 * @param src The all-reduced buffer.
 * @param offset Where the numbers' slots start.
 * @param count How many numbers.
 * @param worldSize Ranks that contributed.
 * @example
 * const [lossSum, correct, count] = readSummedNumbers(bucket, gradLength, 3, worldSize) ?? await fallback();
 */
export function readSummedNumbers(src: Float32Array, offset: number, count: number, worldSize: number): number[] | undefined {
  if (src[offset + PARTS_PER_NUMBER * count] !== SENTINEL * worldSize) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const at = offset + PARTS_PER_NUMBER * i;
    return src[at]! + src[at + 1]! + src[at + 2]!;
  });
}
