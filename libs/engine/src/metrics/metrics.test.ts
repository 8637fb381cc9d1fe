import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, Rng } from '@omnitrain/core';
import {
  ConfusionMatrix,
  MeanMetric,
  accuracy,
  macroF1,
  precisionRecallF1,
  reduceMetrics,
  singleProcessStrategy,
  topKAccuracy,
  topKCorrect,
} from '@omnitrain/engine';
import type { ReduceOp, Strategy } from '@omnitrain/engine';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seed = Math.floor(Math.random() * 1e6);
const rng = Rng.fromSeed(seed);

/** Random [n, k] scores without ties, and random labels. */
function randomProblem(n: number, k: number) {
  const scores = Array.from({ length: n }, () => rng.permutation(k).map((v) => v + rng.float() * 0.5));
  const labels = Array.from({ length: n }, () => rng.int(0, k - 1));
  return { scores: scores.map((r) => Array.from(r)), labels };
}

/** A strategy of `ranks` simulated replicas whose reduceNumbers sums the values every rank passed. */
function fakeRanks(parts: number[][]): Strategy {
  return { ...singleProcessStrategy(), reduceNumbers: async (_v: readonly number[], op: ReduceOp) => {
    expect(op).toBe('sum');
    return parts[0]!.map((_, i) => parts.reduce((a, p) => a + p[i]!, 0));
  } };
}

describe(`metrics (seed ${seed})`, () => {
  it('top-k accuracy equals counting labels among the k highest scores', () => {
    const { scores, labels } = randomProblem(50, 7);
    const logits = tf.tensor2d(scores);
    const y = tf.tensor1d(labels, 'int32');
    for (const k of [1, 2, 5, 7]) {
      const oracle = scores.filter((row, i) => row.filter((v) => v > row[labels[i]!]!).length < k).length;
      expect(topKCorrect(logits, y, k)).toBe(oracle);
      expect(topKAccuracy(logits, y, k)).toBeCloseTo(oracle / 50, 12);
    }
    expect(accuracy(logits, y)).toBeCloseTo(topKCorrect(logits, y) / 50, 12);
    expect(() => topKCorrect(logits, y, 8)).toThrow(DataError);
    tf.dispose([logits, y]);
  });

  it('confusion matrix, precision, recall, F1 and macro-F1 match their closed forms', () => {
    const k = 5;
    const labels = Array.from({ length: 200 }, () => rng.int(0, k - 1));
    const predicted = labels.map((l) => (rng.bernoulli(0.6) ? l : rng.int(0, k - 1)));
    const cm = new ConfusionMatrix(k);
    cm.add(labels, predicted);
    const m = cm.matrix();
    for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) expect(m[t]![p]).toBe(labels.filter((l, i) => l === t && predicted[i] === p).length);
    expect(cm.accuracy()).toBeCloseTo(labels.filter((l, i) => l === predicted[i]).length / 200, 12);
    const s = precisionRecallF1(m);
    for (let c = 0; c < k; c++) {
      const tp = labels.filter((l, i) => l === c && predicted[i] === c).length;
      const fp = labels.filter((l, i) => l !== c && predicted[i] === c).length;
      const fn = labels.filter((l, i) => l === c && predicted[i] !== c).length;
      expect(s.precision[c]).toBeCloseTo(tp / (tp + fp), 12);
      expect(s.recall[c]).toBeCloseTo(tp / (tp + fn), 12);
      expect(s.f1[c]).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
      expect(s.support[c]).toBe(tp + fn);
    }
    expect(macroF1(m)).toBeCloseTo(s.f1.reduce((a, b) => a + b) / k, 12);
    expect(precisionRecallF1([[0, 0], [3, 0]]).precision).toEqual([0, 0]); // zero_division = 0
    expect(() => cm.add([0, 9], [0, 1])).toThrow(/row 1/);
  });

  it('metrics merged across ranks (sum of counts) equal the metrics of all the data', async () => {
    const labels = Array.from({ length: 90 }, () => rng.int(0, 2));
    const predicted = labels.map(() => rng.int(0, 2));
    const losses = labels.map(() => rng.float() * 3);
    const cuts = [0, 17, 55, 90];
    const ranks = [0, 1, 2].map((r) => {
      const [a, b] = [cuts[r]!, cuts[r + 1]!];
      const cm = new ConfusionMatrix(3);
      cm.add(labels.slice(a, b), predicted.slice(a, b));
      const mean = new MeanMetric();
      mean.update(losses.slice(a, b).reduce((x, y) => x + y, 0), b - a);
      return { cm, mean };
    });
    const whole = new ConfusionMatrix(3);
    whole.add(labels, predicted);
    const parts = ranks.map(({ mean, cm }) => [...mean.counts(), ...cm.counts()]);
    const { mean, cm } = ranks[0]!;
    await reduceMetrics(fakeRanks(parts), [mean, cm]);
    expect(cm.matrix()).toEqual(whole.matrix());
    expect(macroF1(cm.matrix())).toBeCloseTo(macroF1(whole.matrix()), 12);
    expect(mean.value).toBeCloseTo(losses.reduce((x, y) => x + y, 0) / 90, 12);
    expect(mean.count).toBe(90);
  });
});
