import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import type { BatchEndInfo, Trainer } from '@omnitrain/engine';
import { applyMasks, countNonzero, magnitudeMasks, parsePruneConfig, polynomialDecaySparsity, pruningCallback, selectWeights } from '@omnitrain/compress';
import { createTestModel } from '../../test-fixtures/linear-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
const seed = Math.floor(Math.random() * 1e6);

/** Random weights with distinct magnitudes (no ties), so "the largest" is unambiguous. */
function randomWeights(shape: number[], s: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', s);
}

describe(`magnitude pruning (seed ${seed})`, () => {
  it('per layer: exactly round(s * n) zeros, and the kept weights are exactly the largest |w|', () => {
    const w = { 'a/kernel': randomWeights([7, 9], seed), 'b/kernel': randomWeights([5, 3, 4], seed + 1), 'a/bias': randomWeights([9], seed + 2), 'a/placeholder': randomWeights([9], seed + 4) };
    const s = 0.3 + 0.6 * ((seed % 97) / 97);
    const masks = magnitudeMasks(w, parsePruneConfig({ sparsity: s }));
    expect(Object.keys(masks).sort()).toEqual(['a/kernel', 'b/kernel']); // bias excluded by default, 1-D weights never pruned
    for (const [name, mask] of Object.entries(masks)) {
      const v = Array.from(w[name as 'a/kernel']!.dataSync());
      const m = Array.from(mask.dataSync());
      const k = Math.round(s * v.length);
      expect(m.filter((x) => x === 0)).toHaveLength(k);
      const kept = v.filter((_, i) => m[i] === 1).map(Math.abs).sort((a, b) => b - a);
      const largest = v.map(Math.abs).sort((a, b) => b - a).slice(0, v.length - k);
      expect(kept).toEqual(largest);
    }
  });

  it('global: one threshold over all selected weights (layers end up with different sparsities)', () => {
    const w = { 'small/kernel': tf.mul(randomWeights([10, 10], seed), 0.1), 'big/kernel': randomWeights([10, 10], seed + 1) };
    const masks = magnitudeMasks(w, parsePruneConfig({ sparsity: 0.5, scope: 'global' }));
    const all = [...w['small/kernel'].dataSync(), ...w['big/kernel'].dataSync()].map(Math.abs);
    const threshold = [...all].sort((a, b) => a - b)[99]!; // the 100th smallest is pruned
    for (const name of ['small/kernel', 'big/kernel'] as const) {
      const v = w[name].dataSync();
      masks[name]!.dataSync().forEach((m, i) => expect(m).toBe(Math.abs(v[i]!) > threshold ? 1 : 0));
    }
    const zerosSmall = countNonzero([masks['small/kernel']!.dataSync()]).sparsity;
    expect(zerosSmall).toBeGreaterThan(0.5);
    expect(countNonzero(Object.values(masks).map((m) => m.dataSync())).sparsity).toBe(0.5);
  });

  it('structured: whole output units with the smallest L1 / L2 norms are pruned', () => {
    for (const norm of ['l1', 'l2'] as const) {
      const w = { 'conv/kernel': randomWeights([3, 3, 2, 8], seed + 3) };
      const mask = magnitudeMasks(w, parsePruneConfig({ sparsity: 0.25, structure: 'structured', norm }))['conv/kernel']!;
      const cols = tf.reshape(w['conv/kernel'], [-1, 8]);
      const norms = Array.from((norm === 'l1' ? tf.sum(tf.abs(cols), 0) : tf.sum(tf.square(cols), 0)).dataSync());
      const pruned = [...norms.keys()].sort((a, b) => norms[a]! - norms[b]!).slice(0, 2).sort();
      const m = tf.reshape(mask, [-1, 8]).arraySync() as number[][];
      const zeroUnits = [...Array(8).keys()].filter((u) => m.every((row) => row[u] === 0));
      expect(zeroUnits).toEqual(pruned);
      expect(countNonzero([mask.dataSync()]).sparsity).toBe(0.25);
    }
  });

  it('selectWeights: globs, default exclusions, and a clear error for an include that matches nothing', () => {
    const names = ['enc/dense/kernel', 'enc/dense/bias', 'enc/layer_norm/gamma', 'head/kernel'];
    expect(selectWeights(names)).toEqual(['enc/dense/kernel', 'head/kernel']);
    expect(selectWeights(names, { include: ['head/*'] })).toEqual(['head/kernel']);
    expect(() => selectWeights(names, { include: ['haed/*'] })).toThrow(ConfigError);
    expect(() => selectWeights(names, { include: ['haed/*'] })).toThrow(/haed.*matched none/);
    expect(() => parsePruneConfig({ sparsity: 1.5 })).toThrow(/sparsity/);
  });

  it('polynomial decay matches the closed form s_f + (s_i - s_f)(1 - (t - t0)/(t1 - t0))^p', () => {
    const [si, sf, t0, t1, p] = [0.1 * Math.random(), 0.5 + 0.4 * Math.random(), 3, 3 + 10 + Math.floor(Math.random() * 50), 1 + Math.random() * 3];
    const schedule = { initialSparsity: si, beginStep: t0, endStep: t1, power: p, frequency: 1 };
    expect(polynomialDecaySparsity(schedule, sf, 0)).toBe(0);
    expect(polynomialDecaySparsity(schedule, sf, t0)).toBeCloseTo(si, 12);
    expect(polynomialDecaySparsity(schedule, sf, t1 + 5)).toBe(sf);
    const t = t0 + Math.floor((t1 - t0) / 3);
    expect(polynomialDecaySparsity(schedule, sf, t)).toBeCloseTo(sf + (si - sf) * (1 - (t - t0) / (t1 - t0)) ** p, 12);
  });

  it('pruningCallback: masks hold after optimizer steps and sparsity follows the schedule', async () => {
    const model = createTestModel({ inputs: 6, hidden: 10, classes: 3, seed });
    const trainer = { model } as unknown as Trainer;
    const cb = pruningCallback({ sparsity: 0.6, schedule: { endStep: 4, power: 1 } });
    await cb.onTrainBegin!({ trainer, step: 0, epoch: 0, resumed: false });
    const opt = tf.train.sgd(0.5);
    const x = tf.randomNormal([16, 6], 0, 1, 'float32', seed);
    const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32');
    const prunedNames = ['hidden/kernel', 'out/kernel'];
    for (let step = 1; step <= 6; step++) {
      opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 3), model.forward({ inputs: { x }, labels: y, size: 16 }, { training: true })) as tf.Scalar);
      // the optimizer moved pruned weights off zero; the callback puts them back
      await cb.onBatchEnd!({ trainer, step, epoch: 0, stepped: true } as BatchEndInfo);
      const expected = polynomialDecaySparsity({ initialSparsity: 0, beginStep: 0, endStep: 4, power: 1, frequency: 1 }, 0.6, step);
      expect(cb.sparsity).toBeCloseTo(expected, 12);
      for (const n of prunedNames) {
        const v = model.variables[n]!;
        const zeros = v.size - countNonzero([v.dataSync()]).nonzero;
        expect(zeros).toBe(Math.round(expected * v.size));
        const mask = cb.masks[n]!.dataSync();
        v.dataSync().forEach((w, i) => mask[i] === 0 && expect(Math.abs(w)).toBe(0));
      }
      expect(countNonzero([model.variables['hidden/bias']!.dataSync()]).sparsity).toBeLessThan(1);
    }
    await cb.onTrainEnd!({ trainer, step: 6, epoch: 0 } as never);
    expect(cb.masks).toEqual({});
    model.dispose();
  });

  it('pruningCallback with frequency 2 recomputes the masks on every other step only', async () => {
    const model = createTestModel({ inputs: 5, hidden: 7, classes: 2, seed });
    const trainer = { model } as unknown as Trainer;
    const schedule = { initialSparsity: 0, beginStep: 0, endStep: 6, power: 1, frequency: 2 };
    const cb = pruningCallback({ sparsity: 0.6, schedule });
    await cb.onTrainBegin!({ trainer, step: 0, epoch: 0, resumed: false });
    const seen: number[] = [];
    for (let step = 1; step <= 7; step++) {
      await cb.onBatchEnd!({ trainer, step, epoch: 0, stepped: true } as BatchEndInfo);
      seen.push(cb.sparsity);
    }
    const s = (t: number) => polynomialDecaySparsity(schedule, 0.6, t);
    expect(seen).toEqual([0, s(2), s(2), s(4), s(4), 0.6, 0.6]);
    model.dispose();
  });

  it('applyMasks refuses a mask of another shape', () => {
    const v = { w: tf.variable(randomWeights([2, 3], seed)) };
    expect(() => applyMasks(v, { w: tf.ones([3, 2]) })).toThrow(/shape \[2,3\]/);
  });
});
