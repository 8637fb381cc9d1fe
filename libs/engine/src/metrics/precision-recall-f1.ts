/** Per-class scores from a confusion matrix. */
export interface ClassScores {
  /** TP / (TP + FP) per class; 0 when the class is never predicted. */
  precision: number[];
  /** TP / (TP + FN) per class; 0 when the class never occurs. */
  recall: number[];
  /** 2PR / (P + R) per class; 0 when P + R = 0. */
  f1: number[];
  /** Samples whose true class it is. */
  support: number[];
}

/**
 * Per-class precision, recall, F1 and support from `matrix[true][predicted]`, with scikit-learn's
 * `zero_division=0` convention.
 *
 * @example
 * precisionRecallF1([[2, 1], [0, 3]]).precision; // [1, 0.75]
 */
export function precisionRecallF1(matrix: readonly (readonly number[])[]): ClassScores {
  const k = matrix.length;
  const tp = matrix.map((row, c) => row[c] ?? 0);
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = Array.from({ length: k }, (_, c) => matrix.reduce((a, row) => a + (row[c] ?? 0), 0));
  const precision = tp.map((t, c) => (predicted[c]! === 0 ? 0 : t / predicted[c]!));
  const recall = tp.map((t, c) => (support[c]! === 0 ? 0 : t / support[c]!));
  const f1 = precision.map((p, c) => (p + recall[c]! === 0 ? 0 : (2 * p * recall[c]!) / (p + recall[c]!)));
  return { precision, recall, f1, support };
}

/**
 * The unweighted mean of the per-class F1 scores (scikit-learn's `f1_score(average='macro')`).
 *
 * @example
 * macroF1([[2, 1], [0, 3]]); // (0.8 + 0.857...) / 2
 */
export function macroF1(matrix: readonly (readonly number[])[]): number {
  const { f1 } = precisionRecallF1(matrix);
  return f1.length === 0 ? NaN : f1.reduce((a, b) => a + b, 0) / f1.length;
}
