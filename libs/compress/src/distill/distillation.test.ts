import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '@omnitrain/engine';
import type { Batch, TrainableModel } from '@omnitrain/engine';
import { distillationLoss, distillationModel } from '@omnitrain/compress';
import { createTestModel } from '../../test-fixtures/linear-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
const seed = Math.floor(Math.random() * 1e6);

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** The hand computation: loss and dL/ds from plain numbers. */
function handDistillation(s: number[][], t: number[][], y: number[], alpha: number, T: number) {
  const B = s.length;
  let loss = 0;
  const grad = s.map((row, b) => {
    const p = softmax(row);
    const ps = softmax(row.map((v) => v / T));
    const pt = softmax(t[b]!.map((v) => v / T));
    const ce = -Math.log(p[y[b]!]!);
    const kl = pt.reduce((acc, q, c) => acc + q * (Math.log(q) - Math.log(ps[c]!)), 0);
    loss += (alpha * ce + (1 - alpha) * T * T * kl) / B;
    return row.map((_, c) => (alpha * (p[c]! - (c === y[b] ? 1 : 0)) + (1 - alpha) * T * (ps[c]! - pt[c]!)) / B);
  });
  return { loss, grad };
}

describe(`knowledge distillation (seed ${seed})`, () => {
  it('the loss and its gradient equal the hand computation; the wrapper gives the Trainer the same gradient', () => {
    const rnd = (n: number, k: number) => tf.randomNormal([n, k], 0, 2, 'float32', seed + n * 10 + k).arraySync() as number[][];
    const [B, C] = [3, 4];
    const s = rnd(B, C);
    const t = rnd(B + 1, C).slice(1);
    const y = [0, 2, 3].map((c) => (c + seed) % C);
    const [alpha, T] = [0.1 + 0.8 * Math.random(), 1 + 4 * Math.random()];
    const hand = handDistillation(s, t, y, alpha, T);
    const labels = tf.tensor1d(y, 'int32');
    const teacherT = tf.tensor2d(t);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => distillationLoss(x as tf.Tensor2D, teacherT, labels, { alpha, temperature: T }))(tf.tensor2d(s));
    // Relative to the loss, whose float32 rounding grows with it (T^2 KL): an absolute 5e-6 was met
    // with only 2x to spare over 5,500 fresh draws.
    expect(Math.abs(value.dataSync()[0]! - hand.loss)).toBeLessThan(5e-6 * Math.max(1, Math.abs(hand.loss)));
    (grad.arraySync() as number[][]).forEach((row, b) => row.forEach((g, c) => expect(g).toBeCloseTo(hand.grad[b]![c]!, 6)));

    // the wrapper, driven like the Trainer (softmax CE of forward's logits), yields the same gradient
    const fixed = (logits: number[][], name: string): TrainableModel => {
      const v = tf.variable(tf.tensor2d(logits), true, name);
      return { name, variables: { logits: v }, numClasses: C, forward: () => tf.clone(v) as tf.Tensor2D, getConfig: () => ({ name }), dispose: () => v.dispose() };
    };
    const student = fixed(s, `s${seed}`);
    const model = distillationModel({ student, teacher: fixed(t, `t${seed}`), alpha, temperature: T });
    const batch: Batch = { inputs: {}, labels, size: B };
    const { grads } = tf.variableGrads(() => softmaxCrossEntropy(model.forward(batch, { training: true }), labels), [student.variables['logits']!]);
    (grads[`s${seed}`]!.arraySync() as number[][]).forEach((row, b) => row.forEach((g, c) => expect(g).toBeCloseTo(hand.grad[b]![c]!, 6)));
    expect(Object.keys(model.variables)).toEqual(['logits']); // the teacher's are not trainable through the wrapper
    expect(model.forward(batch, { training: false }).arraySync()).toEqual(s.map((r) => r.map((v) => Math.fround(v))));
  });

  it('a student distilled from a teacher ends closer to the teacher than one trained on labels alone', () => {
    const [n, inputs, classes] = [96, 8, 4];
    const teacher = createTestModel({ inputs, hidden: 16, classes, seed: seed + 1, name: 'teacher' });
    const x = tf.randomNormal([n, inputs], 0, 1, 'float32', seed + 2);
    const batch = (): Batch => ({ inputs: { x }, labels, size: n });
    // Labels are the teacher's arg-max, so the teacher is the ideal; the soft targets carry more.
    const teacherLogits = teacher.forward({ inputs: { x }, labels: tf.zeros([n], 'int32'), size: n }, { training: false });
    const labels = tf.argMax(teacherLogits, 1) as tf.Tensor1D;
    const pt = tf.softmax(teacherLogits);
    const distance = (m: TrainableModel) => tf.mean(tf.abs(tf.sub(tf.softmax(m.forward(batch(), { training: false })), pt))).dataSync()[0]!;
    const train = (distill: boolean) => {
      const student = createTestModel({ inputs, hidden: 0, classes, seed: seed + 3, name: `student${distill}` });
      const model = distill ? distillationModel({ student, teacher, alpha: 0.1, temperature: 2 }) : student;
      const opt = tf.train.adam(0.05);
      for (let i = 0; i < 60; i++) {
        opt.minimize(() => softmaxCrossEntropy(model.forward(batch(), { training: true }), labels), false, Object.values(model.variables));
      }
      return distance(student);
    };
    const [plain, distilled] = [train(false), train(true)];
    expect(distilled).toBeLessThan(plain);
  });
});
