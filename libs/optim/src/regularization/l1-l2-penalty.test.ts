import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { l1l2Penalty, sgd } from '@omnitrain/optim';

beforeAll(() => tf.setBackend('cpu'));

describe('l1l2Penalty', () => {
  it('is l1 * sum|w| + l2 * sum w^2 with gradient l1 * sign(w) + 2 * l2 * w (closed form)', () => {
    const a = tf.randomNormal([3, 4], 0, 1, 'float32', 11);
    const b = tf.randomNormal([5], 0, 1, 'float32', 12);
    const [av, bv] = [a.dataSync(), b.dataSync()];
    const all = [...av, ...bv];
    const l1 = 0.03;
    const l2 = 0.2;
    const expected = all.reduce((s, v) => s + l1 * Math.abs(v) + l2 * v * v, 0);
    expect(l1l2Penalty({ a, b }, { l1, l2 }).dataSync()[0]).toBeCloseTo(expected, 5);
    const [ga] = tf.grads((x: tf.Tensor) => l1l2Penalty([x, b], { l1, l2 }))([a]);
    ga!.dataSync().forEach((g, i) => expect(g).toBeCloseTo(l1 * Math.sign(av[i]!) + 2 * l2 * av[i]!, 6));
    expect(l1l2Penalty([a], {}).dataSync()[0]).toBe(0);
    expect(() => l1l2Penalty([a], { l1: -1 })).toThrow(/l1 >= 0 and l2 >= 0/);
  });

  it('an L2 penalty l2 steps SGD like coupled weight decay 2 * l2', () => {
    const start = tf.randomNormal([6], 0, 1, 'float32', 3);
    const target = tf.randomNormal([6], 0, 1, 'float32', 4);
    const loss = (w: tf.Tensor) => tf.mul(tf.sum(tf.square(tf.sub(w, target))), 0.5);
    const decayed = { w: tf.variable(start.clone()) };
    const penalized = { w: tf.variable(start.clone()) };
    const a = sgd(decayed, { lr: 0.1, momentum: 0.9, weightDecay: 0.02 });
    const b = sgd(penalized, { lr: 0.1, momentum: 0.9 });
    for (let step = 0; step < 30; step++) {
      const [ga] = tf.grads(loss)([decayed.w]);
      a.applyGradients({ w: ga! });
      const [gb] = tf.grads((w: tf.Tensor) => tf.add(loss(w), l1l2Penalty([w], { l2: 0.01 })))([penalized.w]);
      b.applyGradients({ w: gb! });
      tf.dispose([ga!, gb!]);
    }
    const [x, y] = [decayed.w.dataSync(), penalized.w.dataSync()];
    x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v))));
  });
});
