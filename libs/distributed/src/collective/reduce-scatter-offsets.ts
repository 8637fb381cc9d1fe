import { DistributedError } from '@omnitrain/core';
import { chunkStart } from './ring-link.js';

/**
 * Where each rank's chunk of a reduce-scatter of `n` elements starts: `N + 1` offsets, rank r's chunk
 * is `[offsets[r], offsets[r + 1])`. Without `counts` the even split `floor(r n / N)` (the ring
 * all-reduce's chunks); with `counts` (one per rank, integers >= 0, zeros allowed, summing to `n`)
 * their prefix sums.
 *
 * @throws DistributedError naming the rank whose count is bad, or the sum that differs from `n`.
 * @example
 * reduceScatterOffsets(10, 3); // [0, 3, 6, 10]
 * reduceScatterOffsets(10, 3, [0, 7, 3]); // [0, 0, 7, 10]
 */
export function reduceScatterOffsets(n: number, worldSize: number, counts?: readonly number[], op = 'reduceScatter', where?: string): number[] {
  const offsets = new Array<number>(worldSize + 1);
  offsets[0] = 0;
  if (counts === undefined) {
    for (let r = 1; r <= worldSize; r++) offsets[r] = chunkStart(n, worldSize, r);
    return offsets;
  }
  const fail = (expected: string, received: string): never => {
    throw new DistributedError({ op, expected, received, ...(where ? { where } : {}), hint: 'counts holds one element count per rank (rank r gets the reduced counts[r] elements after those of ranks < r) and sums to data.length' });
  };
  if (counts.length !== worldSize) fail(`counts with one entry per rank (${worldSize})`, `${counts.length} entries`);
  for (let r = 0; r < worldSize; r++) {
    const c = counts[r]!;
    if (!Number.isInteger(c) || c < 0) fail(`counts[${r}] (rank ${r}) an integer >= 0`, String(c));
    offsets[r + 1] = offsets[r]! + c;
  }
  if (offsets[worldSize] !== n) fail(`counts summing to data.length ${n}`, `sum ${offsets[worldSize]} (${counts.join(', ')})`);
  return offsets;
}
