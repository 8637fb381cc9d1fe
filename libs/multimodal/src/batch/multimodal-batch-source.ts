import { EpochSampler, mapAhead, prefetch } from '@omnitrain/data';
import type { EpochSamplerOptions, RankBatch, Sample, SamplerState } from '@omnitrain/data';
import type { BatchSource, TrainBatch } from '@omnitrain/engine';
import type { MultimodalFeaturizer, SampleFeatures } from '../featurize/multimodal-featurizer.js';
import type { FeaturizerPool } from '../featurize/featurizer-pool.js';
import { collateFeatures } from './collate-features.js';

/**
 * Options of {@link multimodalBatchSource}: the samples, the featurizer, prefetching, and the
 * sampler's options of data's `EpochSampler` (`batchSize` is the global batch size; `seed`,
 * `rank`, `worldSize`, `shuffle`, `dropLast` with its defaults) but `size`, which is the sample count.
 */
export interface MultimodalBatchSourceOptions extends Omit<EpochSamplerOptions, 'size'> {
  /** The training samples (cleaned), the same list in the same order on every rank. */
  samples: readonly Sample[];
  /** Turns samples into features (augmenting them: these are training batches). */
  featurizer: MultimodalFeaturizer;
  /**
   * Featurize on these threads instead of this one (sample `i` of `samples` always on thread
   * `i % threads`) once it is ready (until then on this thread, e.g. while its threads boot);
   * `featurizer` still collates. The features are the same, bit for bit. Default: none.
   */
  pool?: FeaturizerPool;
  /** Batches featurized ahead of the consumer (`depth`) and at once (`concurrency`). Default 4 and 2. */
  prefetch?: { depth?: number; concurrency?: number };
}

/**
 * The engine's {@link BatchSource} over data's `EpochSampler`: this rank's part of each global
 * batch, featurized ahead (mapAhead + prefetch) and collated by {@link collateFeatures}. Its state
 * is the sampler state after the batches handed out so far (not the ones read ahead), so a
 * checkpoint taken after any batch resumes with exactly the next one, with any world size.
 * A rank's share of a global batch may be empty (a last batch smaller than the world size); it
 * still gets a batch of size 0 and weight 0, so every rank takes the same number of steps.
 *
 * @param options Samples, featurizer, global batch size, seed, rank, world size, shuffle, prefetch.
 * @throws ConfigError on a bad batch size, rank or world size.
 * @example
 * const source = multimodalBatchSource({ samples: splits.train, featurizer, batchSize: 64, seed, rank, worldSize });
 * for await (const batch of source.epoch()) step(batch); // then checkpoint source.getState()
 */
export function multimodalBatchSource(options: MultimodalBatchSourceOptions): BatchSource {
  return new MultimodalBatchSource(options);
}

class MultimodalBatchSource implements BatchSource {
  readonly #options: MultimodalBatchSourceOptions;
  readonly #sampler: Omit<EpochSamplerOptions, 'seed'>;
  #state: SamplerState;

  constructor(options: MultimodalBatchSourceOptions) {
    this.#options = options;
    this.#sampler = {
      size: options.samples.length,
      batchSize: options.batchSize,
      rank: options.rank ?? 0,
      worldSize: options.worldSize ?? 1,
      shuffle: options.shuffle ?? true,
      dropLast: options.dropLast ?? false,
    };
    // Validates the options now rather than at the first epoch.
    this.#state = new EpochSampler({ ...this.#sampler, seed: options.seed ?? 0 }).getState();
  }

  batchesPerEpoch(): number {
    return EpochSampler.fromState(this.#state, this.#sampler).batchesPerEpoch();
  }

  getState(): SamplerState {
    return { ...this.#state };
  }

  setState(state: SamplerState): void {
    this.#state = EpochSampler.fromState(state, this.#sampler).getState();
  }

  async *epoch(): AsyncGenerator<TrainBatch, void, undefined> {
    const { samples, featurizer, pool } = this.#options;
    const one = (i: number, epoch: number): Promise<SampleFeatures> =>
      pool?.isReady
        ? pool.featurize(samples[i]!, { epoch, training: true, route: i })
        : featurizer.featurize(samples[i]!, { epoch, training: true });
    const sampler = EpochSampler.fromState(this.#state, this.#sampler);
    const epoch = sampler.epoch;
    const rankBatches = function* (): Generator<RankBatch> {
      while (sampler.epoch === epoch) yield sampler.next();
    };
    const featurize = async (rb: RankBatch): Promise<{ rb: RankBatch; items: SampleFeatures[] }> => {
      const items = await Promise.all(
        Array.from(rb.indices, (i) => one(i, rb.epoch)),
      );
      return { rb, items };
    };
    const ahead = mapAhead(rankBatches(), featurize, {
      concurrency: this.#options.prefetch?.concurrency ?? 2,
      op: 'multimodal.batchSource',
      describe: (rb) => `batch at position ${rb.start} of epoch ${rb.epoch}`,
    });
    for await (const { rb, items } of prefetch(ahead, this.#options.prefetch?.depth ?? 4)) {
      const batch = collateFeatures(items, featurizer);
      this.#state = rb.resumeState;
      yield { ...batch, epoch: rb.epoch, weight: rb.weight, resumeState: rb.resumeState };
    }
  }
}
