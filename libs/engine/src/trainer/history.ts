/** One epoch's metrics: `loss`, `accuracy`, `lr`, and when evaluated `val_loss`, `val_accuracy`, `val_f1_macro`, `val_roc_auc`. */
export type EpochLogs = Readonly<Record<string, number>>;

/** One entry of a {@link History}. */
export interface HistoryEntry {
  /** The epoch, from 0. */
  readonly epoch: number;
  /** Optimizer steps completed at its end. */
  readonly step: number;
  /** Its metrics, reduced over ranks. */
  readonly logs: EpochLogs;
}

/**
 * What `Trainer.fit` returns: per-epoch metrics in order, Keras' `History`.
 *
 * @example
 * const history = await trainer.fit();
 * history.metric('val_loss'); // [0.9, 0.7, ...]
 */
export class History {
  readonly epochs: HistoryEntry[] = [];

  /** Appends one epoch's entry. */
  push(entry: HistoryEntry): void {
    this.epochs.push(entry);
  }

  /** The values of one metric over the epochs (NaN where an epoch lacks it). */
  metric(name: string): number[] {
    return this.epochs.map((e) => e.logs[name] ?? NaN);
  }

  /** The last epoch's logs, or {} before the first epoch. */
  last(): EpochLogs {
    return this.epochs.at(-1)?.logs ?? {};
  }
}
