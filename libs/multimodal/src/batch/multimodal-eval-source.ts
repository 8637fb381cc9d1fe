import { ConfigError } from '@omnitrain/core';
import { mapAhead, prefetch, shardRange } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import type { Batch, EvalSource } from '@omnitrain/engine';
import type { MultimodalFeaturizer } from '../featurize/multimodal-featurizer.js';
import { collateFeatures } from './collate-features.js';
import type { FeatureDiskCache } from './feature-disk-cache.js';

/** Options of {@link multimodalEvalSource}. */
export interface MultimodalEvalSourceOptions {
  /** The split's samples, the same list in the same order on every rank. */
  samples: readonly Sample[];
  /** Turns samples into features (without augmentation). */
  featurizer: MultimodalFeaturizer;
  /** Samples per batch on this rank. */
  batchSize: number;
  /** This worker's rank. Default 0. */
  rank?: number;
  /** Number of workers. Default 1. */
  worldSize?: number;
  /** Batches featurized ahead. Default 2. */
  prefetchDepth?: number;
  /** Reads plain image and audio features from disk when another run or rank computed them, and writes the ones computed here. Default: none. */
  cache?: FeatureDiskCache;
}

/**
 * The engine's {@link EvalSource} over a split: this rank's contiguous shard (ranks' shards are
 * disjoint and cover the split; sizes differ by at most one), in order, every sample once,
 * without augmentation.
 *
 * @param options Samples, featurizer, batch size, rank, world size.
 * @throws ConfigError on a bad batch size, rank or world size.
 * @example
 * const val = multimodalEvalSource({ samples: splits.val, featurizer, batchSize: 64, rank, worldSize });
 * for await (const batch of val.batches()) evaluate(batch);
 */
export function multimodalEvalSource(options: MultimodalEvalSourceOptions): EvalSource {
  const { samples, featurizer, batchSize, cache } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError({ op: 'multimodal.evalSource', expected: 'an integer batchSize >= 1', received: String(batchSize) });
  }
  const shardOf = (rank: number, worldSize: number): readonly Sample[] => {
    const { start, count } = shardRange(samples.length, rank, worldSize);
    return samples.slice(start, start + count);
  };
  let mine = shardOf(options.rank ?? 0, options.worldSize ?? 1);
  return {
    size: samples.length,
    reshard(rank: number, worldSize: number): void {
      mine = shardOf(rank, worldSize);
    },
    async *batches(): AsyncGenerator<Batch, void, undefined> {
      const shard = mine;
      const chunks = function* (): Generator<readonly Sample[]> {
        for (let i = 0; i < shard.length; i += batchSize) yield shard.slice(i, i + batchSize);
      };
      const one = (s: Sample) => (cache ? cache.featurize(s, {}, (x, o) => featurizer.featurize(x, o)) : featurizer.featurize(s));
      const featurized = mapAhead(chunks(), (chunk) => Promise.all(chunk.map(one)), {
        concurrency: 2,
        op: 'multimodal.evalSource',
        describe: (chunk) => `batch from sample ${chunk[0]!.id}`,
      });
      for await (const items of prefetch(featurized, options.prefetchDepth ?? 2)) yield collateFeatures(items, featurizer);
    },
  };
}
