import { DataError } from '@omnitrain/core';
import type { Mergeable } from './mergeable.js';
import { precisionRecallF1 } from './precision-recall-f1.js';
import type { ClassScores } from './precision-recall-f1.js';

/**
 * Counts of (true class, predicted class) pairs, `matrix[true][predicted]`; mergeable across ranks
 * (cells add up), and the source of accuracy, per-class precision/recall/F1 and macro-F1.
 *
 * @example
 * const cm = new ConfusionMatrix(3);
 * cm.add([0, 1, 2], [0, 2, 2]);
 * cm.accuracy(); // 2 / 3
 */
export class ConfusionMatrix implements Mergeable {
  readonly #cells: Float64Array;

  /** @param numClasses Number of classes, an integer >= 1. */
  constructor(readonly numClasses: number) {
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new DataError({ op: 'engine.ConfusionMatrix', expected: 'numClasses, an integer >= 1', received: String(numClasses) });
    }
    this.#cells = new Float64Array(numClasses * numClasses);
  }

  /**
   * Counts one pair per sample.
   * @throws DataError when lengths differ or an id is outside 0..numClasses-1 (nothing is counted).
   */
  add(labels: ArrayLike<number>, predicted: ArrayLike<number>): void {
    const k = this.numClasses;
    const bad = Array.from({ length: labels.length }, (_, i) => i).find(
      (i) => !inRange(labels[i]!, k) || !inRange(predicted[i]!, k),
    );
    if (labels.length !== predicted.length || bad !== undefined) {
      throw new DataError({
        op: 'engine.ConfusionMatrix.add',
        expected: `as many predictions as labels, each a class id in 0..${k - 1}`,
        received: bad === undefined ? `${labels.length} labels, ${predicted.length} predictions` : `label ${labels[bad]}, prediction ${predicted[bad]} at row ${bad}`,
      });
    }
    for (let i = 0; i < labels.length; i++) this.#cells[labels[i]! * k + predicted[i]!]! += 1;
  }

  /** Samples counted. */
  get total(): number {
    return this.#cells.reduce((a, b) => a + b, 0);
  }

  /** `matrix[true][predicted]` as plain arrays. */
  matrix(): number[][] {
    const k = this.numClasses;
    return Array.from({ length: k }, (_, t) => Array.from(this.#cells.subarray(t * k, (t + 1) * k)));
  }

  /** The share on the diagonal; NaN when empty. */
  accuracy(): number {
    let hit = 0;
    for (let c = 0; c < this.numClasses; c++) hit += this.#cells[c * this.numClasses + c]!;
    return this.total === 0 ? NaN : hit / this.total;
  }

  /** Per-class precision, recall, F1 and support (see {@link precisionRecallF1}). */
  scores(): ClassScores {
    return precisionRecallF1(this.matrix());
  }

  /** The cells, row by row. */
  counts(): number[] {
    return Array.from(this.#cells);
  }

  /**
   * Replaces the cells.
   * @throws DataError for a length other than numClasses².
   */
  setCounts(counts: readonly number[]): void {
    if (counts.length !== this.#cells.length) {
      throw new DataError({ op: 'engine.ConfusionMatrix.setCounts', expected: `${this.#cells.length} cells`, received: `${counts.length}` });
    }
    this.#cells.set(counts);
  }

  /** Clears every cell. */
  reset(): void {
    this.#cells.fill(0);
  }
}

function inRange(id: number, k: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < k;
}
