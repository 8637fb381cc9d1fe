import { ConfigError } from '@omnitrain/core';

/** A contiguous part of a sequence: `count` items from index `start`. */
export interface ShardRange {
  start: number;
  count: number;
}

/**
 * The part of `length` items that `rank` of `worldSize` takes: contiguous, balanced, disjoint,
 * covering every item once. The first `length % worldSize` ranks take one item more, so counts
 * differ by at most one (and a rank gets none when `length < worldSize`).
 *
 * @param length How many items are split.
 * @param rank This worker's rank, 0 <= rank < worldSize.
 * @param worldSize How many workers split them.
 * @throws ConfigError on a rank outside [0, worldSize) or a world size below 1.
 * @example shardRange(10, 1, 3) // { start: 4, count: 3 } (ranks take 4, 3, 3)
 */
export function shardRange(length: number, rank: number, worldSize: number): ShardRange {
  if (!Number.isInteger(worldSize) || worldSize < 1 || !Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
    throw new ConfigError({
      op: 'data.shard',
      expected: 'an integer worldSize >= 1 and 0 <= rank < worldSize',
      received: `rank=${rank}, worldSize=${worldSize}`,
    });
  }
  const base = Math.floor(length / worldSize);
  const extra = length % worldSize;
  return { start: rank * base + Math.min(rank, extra), count: base + (rank < extra ? 1 : 0) };
}

/**
 * The items `rank` of `worldSize` takes (see {@link shardRange}): shards of all ranks are
 * disjoint and together hold every item once, in order. Use it to split evaluation sets without
 * padding, so metrics count every sample exactly once.
 *
 * @param items The items (e.g. an epoch permutation).
 * @param rank This worker's rank.
 * @param worldSize How many workers.
 * @example shard(Int32Array.of(5, 2, 7, 1, 0), 0, 2) // Int32Array [5, 2, 7]
 */
export function shard(items: Int32Array, rank: number, worldSize: number): Int32Array;
export function shard<T>(items: readonly T[], rank: number, worldSize: number): T[];
export function shard<T>(items: Int32Array | readonly T[], rank: number, worldSize: number): Int32Array | T[] {
  const { start, count } = shardRange(items.length, rank, worldSize);
  return items.slice(start, start + count);
}
