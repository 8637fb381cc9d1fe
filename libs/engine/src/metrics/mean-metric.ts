import { DataError } from '@omnitrain/core';
import type { Mergeable } from './mergeable.js';

/**
 * A running weighted mean (mean loss over samples): a sum and a count, mergeable across ranks.
 *
 * @example
 * const loss = new MeanMetric();
 * loss.update(0.7 * 32, 32); // a batch of 32 with mean loss 0.7
 * loss.value; // 0.7
 */
export class MeanMetric implements Mergeable {
  #sum = 0;
  #count = 0;

  /**
   * Adds `count` samples whose values sum to `sum`.
   * @throws DataError for a negative or non-finite count.
   */
  update(sum: number, count = 1): void {
    if (!(count >= 0 && Number.isFinite(count))) {
      throw new DataError({ op: 'engine.MeanMetric.update', expected: 'a count >= 0', received: String(count) });
    }
    this.#sum += sum;
    this.#count += count;
  }

  /** The mean so far; NaN before any sample. */
  get value(): number {
    return this.#count === 0 ? NaN : this.#sum / this.#count;
  }

  /** Samples seen. */
  get count(): number {
    return this.#count;
  }

  /** `[sum, count]`. */
  counts(): number[] {
    return [this.#sum, this.#count];
  }

  /** Replaces the state with `[sum, count]`. */
  setCounts(counts: readonly number[]): void {
    this.#sum = counts[0] ?? 0;
    this.#count = counts[1] ?? 0;
  }

  /** Starts over. */
  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }
}
