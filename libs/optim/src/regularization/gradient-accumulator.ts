import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, ConfigError, DataError } from '@omnitrain/core';
import type { NamedGradients } from '../optimizers/optimizer.js';

/** The resumable state of a {@link GradientAccumulator}: weighted sums by name, plus JSON. */
export interface GradientAccumulatorState {
  /** Weighted gradient sums by parameter name; the caller disposes them. */
  readonly tensors: tf.NamedTensorMap;
  /** Micro-batches added and the sum of their weights. */
  readonly meta: { readonly count: number; readonly totalWeight: number };
}

/**
 * Accumulates gradients over `steps` micro-batches and hands back their (weighted) mean, so a
 * step on k micro-batches of a mean-reduced loss equals a step on one batch k times as large,
 * at the memory of one micro-batch. Give each micro-batch its size as `weight` when sizes differ
 * (a short last batch) to keep that equality.
 *
 * @example
 * const acc = new GradientAccumulator(4);
 * for (const batch of microBatches) {
 *   const { grads } = computeGrads(batch);
 *   if (acc.add(grads)) {
 *     const mean = acc.take();
 *     opt.applyGradients(mean);
 *     tf.dispose(mean);
 *   }
 *   tf.dispose(grads);
 * }
 */
export class GradientAccumulator {
  #sums: tf.NamedTensorMap = {};
  #count = 0;
  #totalWeight = 0;

  /**
   * @param steps Micro-batches per optimizer step, an integer >= 1.
   * @throws ConfigError otherwise.
   */
  constructor(readonly steps: number) {
    if (!Number.isInteger(steps) || steps < 1) {
      throw new ConfigError({ op: 'optim.GradientAccumulator', expected: 'steps, an integer >= 1', received: String(steps) });
    }
  }

  /** Micro-batches added since the last {@link GradientAccumulator.take}. */
  get count(): number {
    return this.#count;
  }

  /** Whether `steps` micro-batches have been added. */
  get ready(): boolean {
    return this.#count >= this.steps;
  }

  /**
   * Adds one micro-batch's gradients (read, not disposed).
   * @param grads Gradients by name; every micro-batch must name the same parameters.
   * @param weight Weight of this micro-batch (its sample count when sizes differ). Default 1.
   * @returns Whether the accumulator is now {@link GradientAccumulator.ready}.
   * @throws DataError when the names or shapes differ from the first micro-batch's.
   */
  add(grads: NamedGradients, weight = 1): boolean {
    const names = Object.keys(grads);
    const known = Object.keys(this.#sums);
    if (this.#count > 0 && (names.length !== known.length || names.some((n) => !tf.util.arraysEqual(grads[n]!.shape, this.#sums[n]?.shape ?? [-1])))) {
      throw new DataError({
        op: 'optim.GradientAccumulator.add',
        expected: `the parameters and shapes of the first micro-batch (${known.join(', ')})`,
        received: names.map((n) => `${n} [${grads[n]!.shape}]`).join(', '),
      });
    }
    const next = tf.tidy(() =>
      Object.fromEntries(names.map((n) => [n, this.#count === 0 ? tf.mul(grads[n]!, weight) : tf.add(this.#sums[n]!, tf.mul(grads[n]!, weight))])),
    );
    tf.dispose(this.#sums);
    this.#sums = next;
    this.#count += 1;
    this.#totalWeight += weight;
    return this.ready;
  }

  /**
   * The weighted mean of the gradients added so far, and a fresh start; the caller disposes it.
   * @throws DataError when nothing was added.
   */
  take(): tf.NamedTensorMap {
    if (this.#count === 0) {
      throw new DataError({ op: 'optim.GradientAccumulator.take', expected: 'at least one micro-batch', received: 'none' });
    }
    const total = this.#totalWeight;
    const mean = tf.tidy(() => Object.fromEntries(Object.entries(this.#sums).map(([n, s]) => [n, tf.div(s, total)])));
    this.reset();
    return mean;
  }

  /** Drops what was added (e.g. after a skipped step). */
  reset(): void {
    tf.dispose(this.#sums);
    this.#sums = {};
    this.#count = 0;
    this.#totalWeight = 0;
  }

  /** A copy of the partial sums, to resume mid-accumulation from a checkpoint. */
  exportState(): GradientAccumulatorState {
    const tensors = Object.fromEntries(Object.entries(this.#sums).map(([n, t]) => [n, tf.clone(t)]));
    return { tensors, meta: { count: this.#count, totalWeight: this.#totalWeight } };
  }

  /**
   * Restores partial sums saved by {@link GradientAccumulator.exportState} (tensors are copied).
   * @throws CheckpointError for a malformed state.
   */
  importState(state: GradientAccumulatorState): void {
    const { count, totalWeight } = state.meta;
    if (!Number.isInteger(count) || count < 0 || (count > 0) !== Object.keys(state.tensors).length > 0) {
      throw new CheckpointError({
        op: 'optim.GradientAccumulator.importState',
        expected: 'a count >= 0 with sums exactly when count > 0',
        received: `count ${count}, ${Object.keys(state.tensors).length} tensors`,
      });
    }
    this.reset();
    this.#sums = Object.fromEntries(Object.entries(state.tensors).map(([n, t]) => [n, tf.keep(tf.clone(t))]));
    this.#count = count;
    this.#totalWeight = totalWeight;
  }

  /** Frees the partial sums. */
  dispose(): void {
    this.reset();
  }
}
