import { describe, expect, it } from 'vitest';
import { RocAuc } from '@omnitrain/engine';

/** Exact one-vs-rest AUC by counting every positive-negative pair (Mann-Whitney U, ties count 1/2). */
function bruteForceAuc(labels: number[], scores: number[][], c: number): number {
  const pos = scores.filter((_, i) => labels[i] === c).map((s) => s[c]!);
  const neg = scores.filter((_, i) => labels[i] !== c).map((s) => s[c]!);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

function softmaxRows(n: number, k: number, labels: number[], signal: number, rand: () => number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const logits = Array.from({ length: k }, (_, c) => (c === labels[i] ? signal : 0) + 2 * (rand() - 0.5) * 3);
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  });
}

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('RocAuc', () => {
  it('equals the brute-force pair count within its bound on random scores, per class and macro', () => {
    const rand = seeded(Math.floor(Math.random() * 2 ** 31));
    const k = 4;
    const n = 600;
    const labels = Array.from({ length: n }, () => Math.floor(rand() * k));
    const scores = softmaxRows(n, k, labels, 1.5, rand);
    const auc = new RocAuc(k);
    auc.add(labels, scores);
    const exact = Array.from({ length: k }, (_, c) => bruteForceAuc(labels, scores, c));
    auc.perClass().forEach((v, c) => expect(Math.abs(v - exact[c]!)).toBeLessThan(2e-3));
    expect(auc.macro()).toBeCloseTo(exact.reduce((a, b) => a + b, 0) / k, 2);
    // A model with signal ranks better than chance; a reversed score ranks worse.
    expect(auc.macro()).toBeGreaterThan(0.6);
  });

  it('is exact with tied scores (a tie counts 1/2) and with flat score arrays', () => {
    const labels = [0, 1, 0, 1, 1, 0];
    const p = [0.9, 0.9, 0.2, 0.6, 0.2, 0.6];
    const scores = p.map((v) => [v, 1 - v]);
    const auc = new RocAuc(2);
    auc.add(labels, scores.flat());
    expect(auc.perClass()[0]).toBeCloseTo(bruteForceAuc(labels, scores, 0), 12);
    expect(auc.perClass()[1]).toBeCloseTo(bruteForceAuc(labels, scores, 1), 12);
  });

  it('merging the counts of 3 shards gives exactly the unsharded metric', () => {
    const rand = seeded(Math.floor(Math.random() * 2 ** 31));
    const k = 3;
    const labels = Array.from({ length: 301 }, () => Math.floor(rand() * k));
    const scores = softmaxRows(labels.length, k, labels, 1, rand);
    const whole = new RocAuc(k);
    whole.add(labels, scores);
    const shards = [0, 1, 2].map((r) => {
      const m = new RocAuc(k);
      const idx = labels.map((_, i) => i).filter((i) => i % 3 === r);
      m.add(idx.map((i) => labels[i]!), idx.map((i) => scores[i]!));
      return m;
    });
    const summed = shards.map((m) => m.counts()).reduce((a, b) => a.map((v, i) => v + b[i]!));
    shards[0]!.setCounts(summed);
    expect(shards[0]!.perClass()).toEqual(whole.perClass());
  });

  it('is NaN for a class with no positives, and the macro mean skips it', () => {
    const auc = new RocAuc(3);
    auc.add([0, 1, 0, 1], [[0.7, 0.2, 0.1], [0.3, 0.6, 0.1], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1]]);
    const [a, b, c] = auc.perClass();
    expect(c).toBeNaN();
    expect(auc.macro()).toBeCloseTo((a! + b!) / 2, 12);
    expect(() => auc.setCounts([1, 2])).toThrow(/expected 12288 counts, got 2/);
  });
});
