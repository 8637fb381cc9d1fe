import { EpochSampler, mapAhead, prefetch } from '@omnitrain/data';
import type { EpochSamplerOptions, RankBatch, Sample, SamplerState } from '@omnitrain/data';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchSource, TrainBatch } from '@omnitrain/engine';
import type { MultimodalFeaturizer, SampleFeatures } from '../featurize/multimodal-featurizer.js';
import type { FeaturizerPool } from '../featurize/featurizer-pool.js';
import { collateFeatures } from './collate-features.js';
import type { FeatureDiskCache } from './feature-disk-cache.js';

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
  /** Reads plain image and audio features from disk when another run or rank computed them, and writes the ones computed here. Default: none. */
  cache?: FeatureDiskCache;
  /** Batches featurized ahead of the consumer (`depth`) and at once (`concurrency`). Default 4 and 2. */
  prefetch?: { depth?: number; concurrency?: number };
  /**
   * Start featurizing the first batches now (again after each `setState` to a new position, and
   * the next epoch's at the end of each epoch), so they are ready by the first step: the model
   * build, the checkpoint read, the other ranks' start, validation and checkpointing overlap them. Those batches are handed out only when the next epoch starts
   * from the same position, so resuming stays exact. Default false.
   */
  startEarly?: boolean;
}

/** One batch of this rank, collated ahead (`batch` absent when its pipeline closed before it was collated). */
interface Collated {
  rb: RankBatch;
  batch: Batch | undefined;
}

/**
 * The batches of one epoch from one position, featurized and collated ahead. The tensors of the
 * batches made but not handed out belong to it: `close` disposes them.
 */
interface Pipeline {
  iterator: AsyncIterator<Collated>;
  /** Hands a batch out: its tensors are the consumer's from now on. */
  take(c: Collated): Batch;
  /** Stops reading ahead and disposes what was made and not handed out. */
  close(): Promise<void>;
}

/** A pipeline started ahead of its epoch: the position it starts at and its first batch, asked for. */
interface Primed {
  state: string;
  pipe: Pipeline;
  first: Promise<IteratorResult<Collated>>;
}

function disposeBatch(b: Batch): void {
  tf.dispose([...Object.values(b.inputs), b.labels, ...Object.values(b.presence ?? {})]);
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
  #sampler: Omit<EpochSamplerOptions, 'seed'>;
  #state: SamplerState;
  #primed: Primed | undefined;
  /**
   * Each sample's features once computed, when no used modality augments (they are then the same
   * in every epoch): later epochs skip the featurizer's per-sample work (label lookup, seeds, text
   * normalization, a thread's round trip) and only collate.
   */
  readonly #memo: Map<number, SampleFeatures> | undefined;

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
    const { featurizer } = options;
    this.#memo = featurizer.image?.augments || featurizer.audio?.augments ? undefined : new Map();
    if (options.startEarly) this.#prime();
  }

  batchesPerEpoch(): number {
    return EpochSampler.fromState(this.#state, this.#sampler).batchesPerEpoch();
  }

  getState(): SamplerState {
    return { ...this.#state };
  }

  setState(state: SamplerState): void {
    this.#state = EpochSampler.fromState(state, this.#sampler).getState();
    if (this.#primed && this.#primed.state !== JSON.stringify(this.#state)) {
      this.#discard();
      if (this.#options.startEarly) this.#prime();
    }
  }

  /**
   * Elastic training: later epochs yield rank `rank` of `worldSize`'s share of each global batch
   * (the same global batches, from the same position); batches prepared ahead for the old place are
   * dropped (and prepared again for the new one with `startEarly`). Features already kept stay valid.
   * @throws ConfigError on a bad rank or world size.
   */
  reshard(rank: number, worldSize: number): void {
    const next = { ...this.#sampler, rank, worldSize };
    this.#state = EpochSampler.fromState(this.#state, next).getState(); // validates
    this.#sampler = next;
    if (this.#primed) {
      this.#discard();
      if (this.#options.startEarly) this.#prime();
    }
  }

  async *epoch(): AsyncGenerator<TrainBatch, void, undefined> {
    let primed = this.#primed;
    this.#primed = undefined;
    if (primed && primed.state !== JSON.stringify(this.#state)) {
      void primed.pipe.close().catch(() => undefined);
      primed = undefined;
    }
    const pipe = primed?.pipe ?? this.#pipeline();
    try {
      let next = primed?.first ?? pipe.iterator.next();
      for (let r = await next; !r.done; r = await next) {
        const { rb } = r.value;
        const batch = pipe.take(r.value);
        this.#state = rb.resumeState;
        yield { ...batch, epoch: rb.epoch, weight: rb.weight, resumeState: rb.resumeState };
        next = pipe.iterator.next();
      }
    } finally {
      await pipe.close();
    }
    // The epoch ran to its end: the next one's first batches decode during validation and checkpointing.
    if (this.#options.startEarly) this.#prime();
  }

  /** Starts the pipeline of the current position and asks for its first batch (errors surface in epoch()). */
  #prime(): void {
    const pipe = this.#pipeline();
    const first = pipe.iterator.next();
    first.catch(() => undefined);
    this.#primed = { state: JSON.stringify(this.#state), pipe, first };
  }

  #discard(): void {
    void this.#primed?.pipe.close().catch(() => undefined);
    this.#primed = undefined;
  }

  /**
   * The batches of the current position's epoch, featurized (mapAhead) and collated ahead
   * (prefetch), so handing one out costs no featurizing or tensor making on the training thread.
   */
  #pipeline(): Pipeline {
    const { samples, featurizer, pool, cache } = this.#options;
    const memo = this.#memo;
    type Options = { epoch?: number; training?: boolean };
    const compute = (s: Sample, o: Options, route: number): Promise<SampleFeatures> =>
      pool?.isReady ? pool.featurize(s, { ...o, route }) : featurizer.featurize(s, o);
    const one = (i: number, epoch: number): SampleFeatures | Promise<SampleFeatures> => {
      const known = memo?.get(i);
      if (known) return known;
      const o = { epoch, training: true };
      const features = cache ? cache.featurize(samples[i]!, o, (s, so) => compute(s, so, i)) : compute(samples[i]!, o, i);
      return memo ? features.then((x) => (memo.set(i, x), x)) : features;
    };
    const sampler = EpochSampler.fromState(this.#state, this.#sampler);
    const epoch = sampler.epoch;
    const rankBatches = function* (): Generator<RankBatch> {
      while (sampler.epoch === epoch) yield sampler.next();
    };
    const made = new Set<Batch>();
    let closed = false;
    const featurize = async (rb: RankBatch): Promise<Collated> => {
      const items = await Promise.all(Array.from(rb.indices, (i) => one(i, rb.epoch)));
      if (closed) return { rb, batch: undefined };
      const batch = collateFeatures(items, featurizer);
      made.add(batch);
      return { rb, batch };
    };
    const ahead = mapAhead(rankBatches(), featurize, {
      concurrency: this.#options.prefetch?.concurrency ?? 2,
      op: 'multimodal.batchSource',
      describe: (rb) => `batch at position ${rb.start} of epoch ${rb.epoch}`,
    });
    const iterator = prefetch(ahead, this.#options.prefetch?.depth ?? 4);
    return {
      iterator,
      take: ({ batch }) => {
        made.delete(batch!);
        return batch!;
      },
      close: async () => {
        closed = true;
        try {
          await iterator.return?.();
        } finally {
          for (const b of made) disposeBatch(b);
          made.clear();
        }
      },
    };
  }
}
