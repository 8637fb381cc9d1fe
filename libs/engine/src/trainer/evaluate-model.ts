import * as tf from '@tensorflow/tfjs-core';
import type { EvalSource } from '../data/batch-source.js';
import type { Batch, TrainableModel } from '../model/trainable-model.js';
import { ConfusionMatrix } from '../metrics/confusion-matrix.js';
import { MeanMetric } from '../metrics/mean-metric.js';
import { reduceMetrics } from '../metrics/mergeable.js';
import { RocAuc } from '../metrics/roc-auc.js';
import { precisionRecallF1 } from '../metrics/precision-recall-f1.js';
import type { Strategy } from '../strategy/strategy.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** An evaluation's metrics over every rank's shard of a split. */
export interface EvalResult {
  /** Mean loss per sample (same loss as training, label smoothing included). */
  readonly loss: number;
  readonly accuracy: number;
  /** `confusion[true][predicted]` sample counts. */
  readonly confusion: number[][];
  /** Per-class precision, recall, F1. */
  readonly precision: number[];
  readonly recall: number[];
  readonly f1: number[];
  /** Unweighted mean of the per-class F1. */
  readonly f1Macro: number;
  /** One-vs-rest ROC-AUC per class (NaN for a class without positives or negatives in the split). */
  readonly rocAuc: number[];
  /** Unweighted mean of the defined per-class ROC-AUCs (see {@link RocAuc}). */
  readonly rocAucMacro: number;
  /** Samples evaluated over all ranks. */
  readonly count: number;
}

/**
 * Evaluates `model` (training off) on this rank's batches of `source` and reduces loss and
 * confusion counts over every rank with ONE `reduceNumbers` call; every batch's tensors are disposed.
 *
 * @param model The model.
 * @param source This rank's shard of the split.
 * @param strategy Reduces across ranks.
 * @param labelSmoothing Of the loss. Default 0.
 *
 * @example
 * const { loss, accuracy } = await evaluateModel(model, valSource, singleProcessStrategy());
 */
export async function evaluateModel(model: TrainableModel, source: EvalSource, strategy: Strategy, labelSmoothing = 0): Promise<EvalResult> {
  const loss = new MeanMetric();
  const confusion = new ConfusionMatrix(model.numClasses);
  const auc = new RocAuc(model.numClasses);
  for await (const batch of source.batches()) {
    try {
      const [lossT, predT, probT] = tf.tidy(() => {
        const logits = model.forward(batch, { training: false }); // [batch, classes]
        return [softmaxCrossEntropy(logits, batch.labels, { labelSmoothing }), tf.argMax(logits, 1), tf.softmax(logits)];
      });
      const [l, pred, labels, probs] = [lossT.dataSync()[0]!, predT.dataSync(), batch.labels.dataSync(), probT.dataSync()];
      tf.dispose([lossT, predT, probT]);
      loss.update(l * batch.size, batch.size);
      confusion.add(labels as ArrayLike<number>, pred as ArrayLike<number>);
      auc.add(labels as ArrayLike<number>, probs as ArrayLike<number>);
    } finally {
      disposeBatch(batch);
    }
  }
  await reduceMetrics(strategy, [loss, confusion, auc]);
  const matrix = confusion.matrix();
  const { precision, recall, f1 } = precisionRecallF1(matrix);
  return {
    loss: loss.value,
    accuracy: confusion.accuracy(),
    confusion: matrix,
    precision,
    recall,
    f1,
    f1Macro: f1.reduce((a, b) => a + b, 0) / f1.length,
    rocAuc: auc.perClass(),
    rocAucMacro: auc.macro(),
    count: confusion.total,
  };
}

/**
 * Frees every tensor of a batch (inputs, labels, presence).
 *
 * @example
 * try { step(batch); } finally { disposeBatch(batch); }
 */
export function disposeBatch(batch: Batch): void {
  tf.dispose([...Object.values(batch.inputs), batch.labels, ...Object.values(batch.presence ?? {})]);
}
