import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { epochPermutation, shard, shardRange } from '@omnitrain/data';

const rand = (n: number) => Math.floor(Math.random() * n);

describe('shard', () => {
  it('gives disjoint, balanced, contiguous shards that cover the items in order', () => {
    for (let trial = 0; trial < 200; trial++) {
      const n = rand(100);
      const world = 1 + rand(12);
      const items = epochPermutation(n, rand(2 ** 31), rand(5));
      const shards = Array.from({ length: world }, (_, r) => shard(items, r, world));
      expect(Array.from(shards.flatMap((s) => [...s]))).toEqual([...items]);
      const counts = shards.map((s) => s.length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(counts).toEqual([...counts].sort((a, b) => b - a)); // the extra items go to the first ranks
      expect(shardRange(n, world - 1, world).start + counts[world - 1]!).toBe(n);
    }
    expect(shard(['a', 'b', 'c'], 1, 2)).toEqual(['c']);
  });

  it('rejects a rank outside the world', () => {
    expect(() => shardRange(10, 3, 3)).toThrow(ConfigError);
    expect(() => shardRange(10, -1, 3)).toThrow(/0 <= rank < worldSize, got rank=-1, worldSize=3/);
    expect(() => shardRange(10, 0, 0)).toThrow(ConfigError);
  });
});

describe('epochPermutation', () => {
  it('is a permutation, the same for a seed and epoch, new for every epoch', () => {
    const seed = rand(2 ** 31);
    const n = 1 + rand(500);
    const p0 = epochPermutation(n, seed, 0);
    expect([...p0].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(epochPermutation(n, seed, 0)).toEqual(p0);
    if (n > 20) {
      expect(epochPermutation(n, seed, 1)).not.toEqual(p0);
      expect(epochPermutation(n, seed + 1, 0)).not.toEqual(p0);
    }
    expect([...epochPermutation(4, seed, 3, false)]).toEqual([0, 1, 2, 3]);
  });
});
