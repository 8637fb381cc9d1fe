import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '@omnitrain/optim';
import { singleProcessStrategy } from '@omnitrain/engine';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('singleProcessStrategy', () => {
  it('is rank 0 of 1, the chief; gradients pass through (scaled by a share other than 1); numbers reduce to themselves', async () => {
    const s = singleProcessStrategy();
    expect([s.name, s.rank, s.worldSize, s.isChief]).toEqual(['single', 0, 1, true]);
    const w = tf.variable(tf.randomNormal([3, 2]));
    const ctx = { variables: { w }, optimizer: createOptimizer({ w }, { name: 'sgd', lr: 0.1 }) };
    await s.setup(ctx);
    const g = tf.randomNormal([3, 2]);
    const expected = Array.from(g.dataSync());
    const same = await s.reduceGradients({ w: g }, { step: 0, weight: 1 });
    expect(Array.from(same['w']!.dataSync())).toEqual(expected);
    const half = await s.reduceGradients({ w: same['w']! }, { step: 1, weight: 0.5 });
    expect(same['w']!.isDisposed).toBe(true); // ownership taken
    Array.from(half['w']!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]! / 2, 6));
    tf.dispose(Object.values(half));
    const values = [Math.random(), -Math.random() * 10, 3];
    for (const op of ['sum', 'mean', 'max', 'min'] as const) expect(await s.reduceNumbers(values, op)).toEqual(values);
    await s.afterStep(ctx, 0);
    await s.barrier('x');
    await s.teardown();
    await s.teardown(); // safe twice
    w.dispose();
  });
});
