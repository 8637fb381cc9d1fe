import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientAccumulator, adam } from '@omnitrain/optim';

// A mean-reduced least-squares loss on 24 random rows; micro-batches are row ranges.
let x: tf.Tensor2D;
let y: tf.Tensor2D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  x = tf.randomNormal([24, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
  y = tf.randomNormal([24, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
});

function params() {
  return { w: tf.variable(tf.randomNormal([5, 3], 0, 0.5, 'float32', 3)), b: tf.variable(tf.randomNormal([3], 0, 0.5, 'float32', 4)) };
}

/** Gradients of 0.5 * mean((x w + b - y)^2) over rows [from, to). */
function grads(p: ReturnType<typeof params>, from: number, to: number): tf.NamedTensorMap {
  const xs = tf.slice(x, [from, 0], [to - from, -1]);
  const ys = tf.slice(y, [from, 0], [to - from, -1]);
  const f = (w: tf.Tensor, b: tf.Tensor) => tf.mul(tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xs, w), b), ys))), 0.5);
  const [dw, db] = tf.grads(f)([p.w, p.b]);
  tf.dispose([xs, ys]);
  return { w: dw!, b: db! };
}

function expectClose(a: tf.NamedTensorMap, b: tf.NamedTensorMap): void {
  for (const name of Object.keys(b)) {
    const [u, v] = [a[name]!.dataSync(), b[name]!.dataSync()];
    v.forEach((e, i) => expect(Math.abs(u[i]! - e)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(e), 1e-2)));
  }
}

describe('GradientAccumulator', () => {
  it('k equal micro-batches give the gradient of one batch k times as large, and the same Adam steps', () => {
    const [p, q] = [params(), params()];
    const [optP, optQ] = [adam(p, { lr: 0.01 }), adam(q, { lr: 0.01 })];
    const acc = new GradientAccumulator(4);
    for (let step = 0; step < 5; step++) {
      for (let k = 0; k < 4; k++) {
        const g = grads(p, 6 * k, 6 * k + 6);
        expect(acc.add(g)).toBe(k === 3);
        tf.dispose(g);
      }
      const mean = acc.take();
      const big = grads(q, 0, 24);
      expectClose(mean, big);
      optP.applyGradients(mean);
      optQ.applyGradients(big);
      tf.dispose([mean, big]);
    }
    expectClose({ w: p.w, b: p.b }, { w: q.w, b: q.b });
    expect(acc.count).toBe(0);
    tf.dispose([p, q]);
  });

  it('weights uneven micro-batches by their size', () => {
    const p = params();
    const acc = new GradientAccumulator(3);
    for (const [from, to] of [[0, 10], [10, 20], [20, 24]] as const) {
      const g = grads(p, from, to);
      acc.add(g, to - from);
      tf.dispose(g);
    }
    const [mean, big] = [acc.take(), grads(p, 0, 24)];
    expectClose(mean, big);
    tf.dispose([p, mean, big]);
  });

  it('resumes mid-accumulation from exported state, and checks its inputs', () => {
    const p = params();
    const [a, b] = [new GradientAccumulator(3), new GradientAccumulator(3)];
    const gs = [grads(p, 0, 8), grads(p, 8, 16), grads(p, 16, 24)];
    a.add(gs[0]!);
    a.add(gs[1]!);
    const state = a.exportState();
    b.importState({ tensors: state.tensors, meta: JSON.parse(JSON.stringify(state.meta)) });
    tf.dispose(state.tensors);
    a.add(gs[2]!);
    expect(b.add(gs[2]!)).toBe(true);
    const [ma, mb] = [a.take(), b.take()];
    expect([...mb['w']!.dataSync()]).toEqual([...ma['w']!.dataSync()]);
    a.add({ w: gs[0]!['w']! });
    expect(() => a.add({ b: gs[0]!['b']! })).toThrow(/parameters and shapes of the first micro-batch/);
    expect(() => new GradientAccumulator(0)).toThrow(/integer >= 1/);
    expect(() => new GradientAccumulator(2).take()).toThrow(/at least one micro-batch/);
    a.dispose();
    tf.dispose([p, gs, ma, mb]);
  });
});
