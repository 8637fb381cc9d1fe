import type { SamplerState } from '@omnitrain/data';
import type { Batch } from '../model/trainable-model.js';

/** A training batch: this rank's part of one global batch, with what a checkpoint needs to resume after it. */
export interface TrainBatch extends Batch {
  /** The epoch it belongs to, from 0. */
  readonly epoch: number;
  /** This rank's share of the global batch (`RankBatch.weight`); 1 on a single process. */
  readonly weight: number;
  /** The sampler state to checkpoint once this batch is trained (the loader may run ahead). */
  readonly resumeState: SamplerState;
}

/**
 * Where the Trainer gets training batches: this rank's shard of each epoch, decoded ahead, resumable.
 * Implemented by the multi-modal pipeline (libs/multimodal) over data's `EpochSampler`.
 *
 * @example
 * for await (const batch of source.epoch()) trainStep(batch); // to the end of the current epoch
 */
export interface BatchSource {
  /** Batches this rank yields in one full epoch. */
  batchesPerEpoch(): number;
  /** This rank's batches from the current position to the end of the current epoch; the next call starts the next epoch. */
  epoch(): AsyncIterable<TrainBatch>;
  /** Where the source stands (after the batches handed out so far). */
  getState(): SamplerState;
  /** Continues from a checkpointed state (any world size); call before {@link BatchSource.epoch}. */
  setState(state: SamplerState): void;
  /**
   * Optional (elastic training): this rank's place changed; later `epoch()` calls yield the new
   * rank's share of each global batch (the global batch size stays). Call between epochs or before
   * a `setState`; batches prepared ahead for the old place are dropped.
   */
  reshard?(rank: number, worldSize: number): void;
}

/** Where evaluation batches come from: this rank's shard of a split, in a fixed order, every sample once. */
export interface EvalSource {
  /** Number of samples of the split over all ranks. */
  readonly size: number;
  /** This rank's batches of the split. */
  batches(): AsyncIterable<Batch>;
  /** Optional (elastic training): later `batches()` calls yield the new rank's shard. */
  reshard?(rank: number, worldSize: number): void;
}
