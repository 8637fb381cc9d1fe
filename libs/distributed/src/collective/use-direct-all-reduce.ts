/**
 * Arrays of at least this many bytes take the direct all-reduce under `allReduceAlgorithm: 'auto'`
 * (N >= 3, net data plane). Measured on the 2-core benchmark VM, ring and direct alternating in one
 * session (load 3-4): direct moved 10M and 25M floats 1.2-1.4x faster over ipc at N = 3 and 25M at
 * N = 4, as fast at 10M/N = 4 and over tcp (README, collective section); smaller sizes were not
 * measured, so they keep the ring.
 */
export const DIRECT_ALL_REDUCE_MIN_BYTES = 2 ** 25;

/**
 * Whether an fp32 all-reduce of `bytes` on `worldSize` ranks uses the direct (mesh) algorithm
 * rather than the ring, under the collective's `allReduceAlgorithm` setting (the caller has checked
 * that a mesh exists and that the array is past the small-message path). `bytes` undefined: whether
 * any call may (so the collective opens the mesh connections).
 *
 * @example
 * useDirectAllReduce('auto', 3, 40_000_000); // true
 * useDirectAllReduce('auto', 3, 4_000_000); // false: the ring
 * useDirectAllReduce('ring', 3, 40_000_000); // false
 */
export function useDirectAllReduce(algorithm: 'auto' | 'ring' | 'direct', worldSize: number, bytes?: number): boolean {
  if (algorithm === 'ring' || worldSize < 3) return false;
  return algorithm === 'direct' || bytes === undefined || bytes >= DIRECT_ALL_REDUCE_MIN_BYTES;
}
