import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, formatTransferReport, freeze, gradualUnfreezing, loadPartialWeights, unfreeze } from '@omnitrain/engine';
import { createMlp } from '../../test-fixtures/mlp-model.js';
import { blobSource, gaussianBlobs } from '../../test-fixtures/blobs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seed = Math.floor(Math.random() * 1e6);
const values = (v: tf.Tensor) => Array.from(v.dataSync());

describe(`transfer learning (seed ${seed})`, () => {
  it('loads what matches after renaming and reports missing, unexpected and shape mismatches', () => {
    const model = createMlp({ inputs: 4, hidden: [6], classes: 3, seed });
    const pre = {
      'backbone.dense1.kernel': tf.randomNormal([4, 6], 0, 1, 'float32', seed),
      'backbone.dense1.bias': tf.randomNormal([6], 0, 1, 'float32', seed + 1),
      'head.kernel': tf.randomNormal([6, 10], 0, 1, 'float32', seed + 2), // a 10-class head
      'aux.thing': tf.ones([2]),
    };
    const headBefore = values(model.variables['dense2/kernel']!);
    const report = loadPartialWeights(model.variables, pre, {
      rename: [{ from: 'backbone.*.kernel', to: '$1/kernel' }, { from: /^backbone\.(\w+)\.bias$/, to: '$1/bias' }, { from: 'head.kernel', to: 'dense2/kernel' }],
    });
    expect(report.matched.sort()).toEqual(['dense1/bias', 'dense1/kernel']);
    expect(report.missing).toEqual(['dense2/bias']);
    expect(report.unexpected).toEqual(['aux.thing']);
    expect(report.shapeMismatched).toEqual([{ name: 'dense2/kernel', source: 'head.kernel', expected: [6, 3], received: [6, 10] }]);
    expect(values(model.variables['dense1/kernel']!)).toEqual(values(pre['backbone.dense1.kernel']));
    expect(values(model.variables['dense2/kernel']!)).toEqual(headBefore);
    const text = formatTransferReport(report);
    expect(text).toContain('loaded 2 of 4 variables');
    expect(text).toContain('shape mismatch: dense2/kernel expects [6,3], head.kernel has [6,10]');
    const fresh = createMlp({ inputs: 4, hidden: [6], classes: 3, seed: seed + 9 });
    const before = values(fresh.variables['dense1/kernel']!);
    expect(() => loadPartialWeights(fresh.variables, pre, { strict: true })).toThrow(ConfigError);
    expect(values(fresh.variables['dense1/kernel']!)).toEqual(before); // strict assigns nothing on failure
    tf.dispose(Object.values(pre));
    model.dispose();
    fresh.dispose();
  });

  it('freeze/unfreeze by glob; a pattern that matches nothing is an error', () => {
    const model = createMlp({ inputs: 2, hidden: [3], classes: 2, seed });
    expect(freeze(model.variables, ['dense1/*'])).toEqual(['dense1/kernel', 'dense1/bias']);
    expect(Object.entries(model.variables).map(([n, v]) => [n, v.trainable])).toEqual([
      ['dense1/kernel', false], ['dense1/bias', false], ['dense2/kernel', true], ['dense2/bias', true],
    ]);
    expect(unfreeze(model.variables, ['*bias'])).toEqual(['dense1/bias', 'dense2/bias']);
    expect(model.variables['dense1/bias']!.trainable).toBe(true);
    expect(() => freeze(model.variables, ['dense9/*'])).toThrow(/no match for "dense9\/\*"/);
    model.dispose();
  });

  it('discriminative learning rates are optimizer parameter groups: SGD updates scale with each group lr', async () => {
    const data = gaussianBlobs(32, [[1, 0], [-1, 0]], seed);
    const run = async (groups: { params: string[]; lr: number; name: string }[]) => {
      const model = createMlp({ inputs: 2, hidden: [4], classes: 2, seed });
      const before = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, values(v)]));
      const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1, groups });
      await new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 32, seed }) }).fit(); // one step
      const delta = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, values(v).map((x, i) => x - before[n]![i]!)]));
      model.dispose();
      return delta;
    };
    const uniform = await run([]);
    const disc = await run([{ params: ['dense1/*'], lr: 0.01, name: 'encoder' }]);
    uniform['dense1/kernel']!.forEach((d, i) => expect(disc['dense1/kernel']![i]!).toBeCloseTo(d / 10, 6));
    uniform['dense2/kernel']!.forEach((d, i) => expect(disc['dense2/kernel']![i]!).toBeCloseTo(d, 6));
  });

  it('gradualUnfreezing trains a frozen layer only from its epoch on', async () => {
    const data = gaussianBlobs(32, [[1, 0], [-1, 0]], seed);
    const model = createMlp({ inputs: 2, hidden: [4], classes: 2, seed });
    const snapshots: number[][] = [];
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1 });
    await new Trainer({
      model, optimizer, train: blobSource(data, { batchSize: 16, seed }), epochs: 3,
      callbacks: [
        gradualUnfreezing({ freeze: ['dense1/*'], schedule: [{ epoch: 2, patterns: ['dense1/*'] }] }),
        { name: 'snap', onEpochEnd: () => void snapshots.push(values(model.variables['dense1/kernel']!)) },
      ],
    }).fit();
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[2]).not.toEqual(snapshots[1]);
    model.dispose();
  });
});
