import type { Mergeable } from './mergeable.js';

/** Options of {@link RocAuc}. */
export interface RocAucOptions {
  /** Histogram bins per class and side (positives, negatives). Default 2048. */
  bins?: number;
  /** Scores are binned by their logit, uniformly over [-range, range]. Default 16. */
  logitRange?: number;
}

/**
 * One-vs-rest ROC-AUC per class (and their unweighted mean, scikit-learn's
 * `roc_auc_score(multi_class='ovr', average='macro')`), mergeable across ranks: its state is, per
 * class, a histogram of the positives' and of the negatives' scores, so summing the counts of every
 * rank gives the metric of all the data (see {@link reduceMetrics}).
 *
 * Binning: a probability p goes to the bin of logit(p) = ln(p / (1 - p)) in `bins` equal bins over
 * [-logitRange, logitRange] (outside values in the end bins), so confident scores near 0 and 1 keep
 * their order. The AUC is the Mann-Whitney statistic over bins, a positive-negative pair in one bin
 * counting 1/2 (exactly as equal scores do). Error bound: |AUC - exact AUC| <= (pairs sharing a bin)
 * / (2 x positives x negatives); equal scores are exact.
 *
 * @example
 * const auc = new RocAuc(3);
 * auc.add([0, 2], [[0.8, 0.1, 0.1], [0.2, 0.3, 0.5]]);
 * auc.perClass(); // NaN where a class lacks positives or negatives
 * auc.macro();
 */
export class RocAuc implements Mergeable {
  readonly numClasses: number;
  readonly bins: number;
  readonly logitRange: number;
  /** [class][side: 0 positives, 1 negatives][bin]. */
  #counts: Float64Array;

  constructor(numClasses: number, options: RocAucOptions = {}) {
    this.numClasses = numClasses;
    this.bins = options.bins ?? 2048;
    this.logitRange = options.logitRange ?? 16;
    this.#counts = new Float64Array(numClasses * 2 * this.bins);
  }

  /**
   * Adds samples: `labels[i]` is sample i's class, `scores` its per-class probabilities (rows of
   * `numClasses`, flat or nested).
   */
  add(labels: ArrayLike<number>, scores: ArrayLike<number> | readonly ArrayLike<number>[]): void {
    const k = this.numClasses;
    const nested = isNested(scores);
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      for (let c = 0; c < k; c++) {
        const score = nested ? (scores as readonly ArrayLike<number>[])[i]![c]! : (scores as ArrayLike<number>)[i * k + c]!;
        const side = label === c ? 0 : 1;
        this.#counts[(c * 2 + side) * this.bins + this.binOf(score)]! += 1;
      }
    }
  }

  /** The bin of a probability. */
  binOf(p: number): number {
    const eps = 1e-30;
    const q = Math.min(Math.max(p, eps), 1 - 1e-16);
    const logit = Math.log(q) - Math.log1p(-q);
    const t = (logit + this.logitRange) / (2 * this.logitRange);
    return Math.min(this.bins - 1, Math.max(0, Math.floor(t * this.bins)));
  }

  /** ROC-AUC of each class against the rest; NaN for a class without positives or negatives. */
  perClass(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.numClasses; c++) {
      const pos = this.#counts.subarray(c * 2 * this.bins, (c * 2 + 1) * this.bins);
      const neg = this.#counts.subarray((c * 2 + 1) * this.bins, (c * 2 + 2) * this.bins);
      let negBelow = 0;
      let wins = 0;
      let nPos = 0;
      for (let b = 0; b < this.bins; b++) {
        wins += pos[b]! * (negBelow + neg[b]! / 2);
        negBelow += neg[b]!;
        nPos += pos[b]!;
      }
      out.push(nPos === 0 || negBelow === 0 ? NaN : wins / (nPos * negBelow));
    }
    return out;
  }

  /** Unweighted mean over the classes that have both positives and negatives; NaN if none. */
  macro(): number {
    const defined = this.perClass().filter((v) => !Number.isNaN(v));
    return defined.length === 0 ? NaN : defined.reduce((a, b) => a + b, 0) / defined.length;
  }

  counts(): number[] {
    return Array.from(this.#counts);
  }

  setCounts(counts: readonly number[]): void {
    if (counts.length !== this.#counts.length) {
      throw new RangeError(`RocAuc.setCounts: expected ${this.#counts.length} counts, got ${counts.length}`);
    }
    this.#counts = Float64Array.from(counts);
  }
}

function isNested(scores: ArrayLike<number> | readonly ArrayLike<number>[]): boolean {
  return scores.length > 0 && typeof scores[0] !== 'number';
}
