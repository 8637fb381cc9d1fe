import { ConfigError, DataError } from '@omnitrain/core';
import { epochPermutation } from './epoch-permutation.js';
import { shardRange } from './shard.js';

/**
 * Where a sampler stands, as plain JSON for checkpoints. It names no rank or world size: any
 * number of workers can resume from it.
 */
export interface SamplerState {
  /** The epoch, from 0. */
  epoch: number;
  /** Samples of this epoch's permutation consumed by all ranks together (the next one's index). */
  position: number;
  /** The seed the epoch permutations derive from. */
  seed: number;
  /** The dataset size the state was taken on; resuming on another size is refused. */
  size: number;
}

/** Options of {@link EpochSampler}. */
export interface EpochSamplerOptions {
  /** Samples per epoch (the dataset size). */
  size: number;
  /** Global batch size: samples of one step summed over all ranks. */
  batchSize: number;
  /** Seed of the epoch permutations. Default 0. */
  seed?: number;
  /** This worker's rank. Default 0. */
  rank?: number;
  /** Number of workers. Default 1. */
  worldSize?: number;
  /** Visit samples in a fresh seeded order each epoch; false visits 0..size-1. Default true. */
  shuffle?: boolean;
  /** Skip an epoch's last global batch when it is smaller than `batchSize`. Default false. */
  dropLast?: boolean;
}

/** One rank's part of one global batch. */
export interface RankBatch {
  epoch: number;
  /** Where the global batch starts in the epoch permutation. */
  start: number;
  /** Dataset indices this rank processes. */
  indices: Int32Array;
  /** Samples in the global batch (all ranks). */
  globalSize: number;
  /** Samples each rank gets from this global batch, by rank; they sum to `globalSize`. */
  counts: number[];
  /** This rank's share, `indices.length / globalSize`: weight local mean gradients by it before summing. */
  weight: number;
  /** The state to checkpoint once this batch is trained (with prefetching, the sampler runs ahead). */
  resumeState: SamplerState;
}

/**
 * Cuts each epoch's seeded permutation into global batches of `batchSize`, in order, and gives
 * this rank its contiguous part of each (counts differ by at most one between ranks). Because the
 * cut does not depend on the world size and the state counts samples consumed globally, a run
 * resumed from {@link EpochSampler.getState} continues with exactly the next sample, with the
 * same or a different number of workers, repeating and skipping nothing within the epoch.
 *
 * @example
 * const sampler = new EpochSampler({ size: ds.samples.length, batchSize: 64, seed: 7, rank, worldSize });
 * for (const batch of sampler.epochBatches()) {
 *   train(batch.indices, batch.weight);
 *   checkpoint.data = batch.resumeState;
 * }
 * // after a restart, possibly with another world size:
 * const resumed = EpochSampler.fromState(saved, { size, batchSize: 64, rank, worldSize });
 */
export class EpochSampler {
  readonly #opts: Required<EpochSamplerOptions>;
  #epoch = 0;
  #position = 0;
  #permutation: { epoch: number; order: Int32Array } | undefined;

  /** @param options Size, global batch size, seed, rank, world size, shuffle, drop-last. */
  constructor(options: EpochSamplerOptions) {
    this.#opts = {
      size: options.size,
      batchSize: options.batchSize,
      seed: options.seed ?? 0,
      rank: options.rank ?? 0,
      worldSize: options.worldSize ?? 1,
      shuffle: options.shuffle ?? true,
      dropLast: options.dropLast ?? false,
    };
    const { size, batchSize, seed, rank, worldSize, dropLast } = this.#opts;
    shardRange(0, rank, worldSize); // throws on a bad rank or world size
    const ok = [size, batchSize, seed].every(Number.isInteger) && size >= 1 && batchSize >= 1;
    if (!ok || (dropLast && size < batchSize)) {
      throw new ConfigError({
        op: 'data.EpochSampler',
        expected: 'integers size >= 1, batchSize >= 1 and seed, with size >= batchSize when dropLast',
        received: `size=${size}, batchSize=${batchSize}, seed=${seed}, dropLast=${dropLast}`,
        hint: dropLast ? 'an epoch would have no batch; lower batchSize or set dropLast: false' : undefined,
      });
    }
  }

  /**
   * A sampler that continues from a saved state, with any rank and world size.
   *
   * @param state A state from {@link EpochSampler.getState} or {@link RankBatch.resumeState}.
   * @param options Everything but `seed` (taken from the state); `size` must equal the state's.
   * @throws DataError when the dataset size changed; ConfigError on a malformed state.
   */
  static fromState(state: SamplerState, options: Omit<EpochSamplerOptions, 'seed'>): EpochSampler {
    const fields = [state?.epoch, state?.position, state?.seed, state?.size];
    if (!fields.every(Number.isInteger) || state.epoch < 0 || state.position < 0 || state.position > state.size) {
      throw new ConfigError({
        op: 'EpochSampler.fromState',
        expected: '{ epoch, position, seed, size } integers with 0 <= position <= size',
        received: JSON.stringify(state),
        hint: 'pass the object returned by getState() or batch.resumeState',
      });
    }
    if (state.size !== options.size) {
      throw new DataError({
        op: 'EpochSampler.fromState',
        expected: `a dataset of ${state.size} samples, as when the state was saved`,
        received: `${options.size} samples`,
        hint: 'resume on the same cleaned dataset, or start a new epoch from a fresh sampler',
      });
    }
    const sampler = new EpochSampler({ ...options, seed: state.seed });
    sampler.#epoch = state.epoch;
    sampler.#position = state.position;
    sampler.#rollOver();
    return sampler;
  }

  /** The state after the batches handed out so far, as plain JSON. */
  getState(): SamplerState {
    return { epoch: this.#epoch, position: this.#position, seed: this.#opts.seed, size: this.#opts.size };
  }

  /** The current epoch. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Global batches in a full epoch. */
  batchesPerEpoch(): number {
    const { size, batchSize, dropLast } = this.#opts;
    return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
  }

  /** This rank's part of the next global batch; after an epoch's last batch the next epoch starts. */
  next(): RankBatch {
    const { size, batchSize, rank, worldSize } = this.#opts;
    const epoch = this.#epoch;
    const start = this.#position;
    const globalSize = Math.min(batchSize, size - start);
    const counts = Array.from({ length: worldSize }, (_, r) => shardRange(globalSize, r, worldSize).count);
    const mine = shardRange(globalSize, rank, worldSize);
    const from = start + mine.start;
    const indices = this.#order(epoch).slice(from, from + mine.count);
    this.#position = start + globalSize;
    this.#rollOver();
    return { epoch, start, indices, globalSize, counts, weight: mine.count / globalSize, resumeState: this.getState() };
  }

  /** The remaining batches of the current epoch (all of them from a fresh or epoch-start state). */
  *epochBatches(): Generator<RankBatch, void, undefined> {
    const epoch = this.#epoch;
    while (this.#epoch === epoch) yield this.next();
  }

  /** Moves to the next epoch when the rest of this one cannot make a batch. */
  #rollOver(): void {
    const { size, batchSize, dropLast } = this.#opts;
    const left = size - this.#position;
    if (left === 0 || (dropLast && left < batchSize)) {
      this.#epoch++;
      this.#position = 0;
    }
  }

  #order(epoch: number): Int32Array {
    if (this.#permutation?.epoch !== epoch) {
      const { size, seed, shuffle } = this.#opts;
      this.#permutation = { epoch, order: epochPermutation(size, seed, epoch, shuffle) };
    }
    return this.#permutation.order;
  }
}
