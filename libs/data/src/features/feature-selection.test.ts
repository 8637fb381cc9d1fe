import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import {
  MutualInfoSelector,
  VarianceThreshold,
  equalWidthBins,
  featureTransformFromConfig,
  mutualInformation,
  selectColumns,
} from '@omnitrain/data';

const rand = (n: number) => Math.floor(Math.random() * n);

describe('mutualInformation', () => {
  it('matches hand-computed values', () => {
    expect(mutualInformation([0, 0, 1, 1], [0, 0, 1, 1])).toBeCloseTo(Math.LN2, 15);
    expect(mutualInformation([0, 1, 0, 1], [0, 0, 1, 1])).toBe(0);
    // counts [[3, 1], [1, 3]] of 8: 2 * 3/8 ln(3/2) + 2 * 1/8 ln(1/2)
    const x = [0, 0, 0, 0, 1, 1, 1, 1];
    const y = [0, 0, 0, 1, 1, 1, 1, 0];
    expect(mutualInformation(x, y)).toBeCloseTo(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), 15);
    // x determines y among 3 equally likely values: MI = H(y) = ln 3; codes may be any integers
    expect(mutualInformation([7, 7, -2, -2, 40, 40], [1, 1, 2, 2, 0, 0])).toBeCloseTo(Math.log(3), 15);
    expect(() => mutualInformation([1], [1, 2])).toThrow(DataError);
  });

  it('is symmetric and bounded by the entropies on random tables', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rand(200);
      const x = Array.from({ length: n }, () => rand(4));
      const y = Array.from({ length: n }, () => rand(3));
      const h = (v: number[]) => mutualInformation(v, v); // I(X;X) = H(X)
      const mi = mutualInformation(x, y);
      expect(mi).toBeCloseTo(mutualInformation(y, x), 12);
      expect(mi).toBeGreaterThanOrEqual(0);
      expect(mi).toBeLessThanOrEqual(Math.min(h(x), h(y)) + 1e-12);
    }
  });

  it('bins values by equal width', () => {
    expect(Array.from(equalWidthBins([0, 0.5, 1], 2))).toEqual([0, 1, 1]);
    expect(Array.from(equalWidthBins([0, 2.49, 2.5, 9.99, 10], 4))).toEqual([0, 0, 1, 3, 3]);
    expect(Array.from(equalWidthBins([3, 3], 5))).toEqual([0, 0]);
  });
});

describe('VarianceThreshold', () => {
  it('keeps the features whose training variance exceeds the threshold, identically after a round trip', () => {
    const rows = 50;
    const spreads = [0, 1, 0.01, 5, 0]; // population variance of +-s alternating is s^2
    const x = Float32Array.from({ length: rows * 5 }, (_, i) => 3 + spreads[i % 5]! * ((Math.floor(i / 5) % 2) * 2 - 1));
    expect(VarianceThreshold.fit(x, 5).selected).toEqual([1, 2, 3]);
    const select = VarianceThreshold.fit(x, 5, { threshold: 0.5 });
    expect(select.selected).toEqual([1, 3]);
    const evalX = Float32Array.from({ length: 10 }, () => Math.random());
    expect(Array.from(select.transform(evalX))).toEqual([evalX[1], evalX[3], evalX[6], evalX[8]]);
    expect(featureTransformFromConfig(JSON.parse(JSON.stringify(select.getConfig()))).transform(evalX)).toEqual(select.transform(evalX));
    expect(() => VarianceThreshold.fit(x, 5, { threshold: 100 })).toThrow(/a feature with variance above 100/);
  });
});

describe('MutualInfoSelector', () => {
  it('ranks informative features above noise and selects them in input order', () => {
    const rows = 600;
    const features = 8;
    const informative = [6, 1, 4].slice(0, 1 + rand(3));
    const labels = Int32Array.from({ length: rows }, () => rand(3));
    const x = new Float32Array(rows * features);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < features; j++) {
        const signal = informative.includes(j) ? labels[r]! * 2 : 0;
        x[r * features + j] = signal + Math.random();
      }
    }
    const select = MutualInfoSelector.fit(x, labels, features, { k: informative.length });
    expect(select.selected).toEqual([...informative].sort((a, b) => a - b));
    // each score is the MI of the feature's bins with the labels (the definition, recomputed)
    const column = Float32Array.from({ length: rows }, (_, r) => x[r * features + informative[0]!]!);
    expect(select.scores[informative[0]!]).toBeCloseTo(mutualInformation(equalWidthBins(column, 10), labels), 12);
    expect(select.scores[informative[0]!]).toBeGreaterThan(0.9 * Math.log(3));
    const restored = featureTransformFromConfig(JSON.parse(JSON.stringify(select.getConfig())));
    expect(restored.transform(x)).toEqual(selectColumns(x, features, select.selected));
    expect(() => MutualInfoSelector.fit(x, labels.slice(1), features, { k: 1 })).toThrow(DataError);
    expect(() => MutualInfoSelector.fit(x, labels, features, { k: 9 })).toThrow(/1 <= k <= 8/);
  });
});
