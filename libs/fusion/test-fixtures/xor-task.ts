// The oracle task of the fusion tests: the label is the XOR of a bit carried by modality "a"
// and a bit carried by modality "b", each hidden in noisy features, so only a head that combines
// both modalities can beat chance.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@omnitrain/core';
import type { FusionHead } from '@omnitrain/fusion';

/** Feature width of each modality. */
export const XOR_DIM = 4;

/** One batch of the XOR task. */
export interface XorBatch {
  a: tf.Tensor2D; // [batch, XOR_DIM]
  b: tf.Tensor2D; // [batch, XOR_DIM]
  labels: Int32Array; // [batch]
}

/** How the label follows from the two bits: XOR (needs both), or AND (additive in logits). */
export type XorRule = 'xor' | 'and';

/** Draws `n` samples: features `(2 bit - 1) * direction + noise * N(0, 1)`, label rule(bitA, bitB). */
export function xorBatch(rng: Rng, n: number, rule: XorRule = 'xor', noise = 0.3): XorBatch {
  const dir = Rng.fromSeed(7); // fixed directions, shared by every batch
  const unit = (): number[] => {
    const v = Array.from({ length: XOR_DIM }, () => dir.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const [dirA, dirB] = [unit(), unit()];
  const a = new Float32Array(n * XOR_DIM);
  const b = new Float32Array(n * XOR_DIM);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const bitA = rng.int(0, 1);
    const bitB = rng.int(0, 1);
    labels[i] = rule === 'xor' ? bitA ^ bitB : bitA & bitB;
    for (let j = 0; j < XOR_DIM; j++) {
      a[i * XOR_DIM + j] = (2 * bitA - 1) * dirA[j]! + noise * rng.normal();
      b[i * XOR_DIM + j] = (2 * bitB - 1) * dirB[j]! + noise * rng.normal();
    }
  }
  return { a: tf.tensor2d(a, [n, XOR_DIM]), b: tf.tensor2d(b, [n, XOR_DIM]), labels };
}

/** Which modalities a head sees. */
export type XorInputs = 'both' | 'a' | 'b';

function features(batch: XorBatch, inputs: XorInputs): Record<string, tf.Tensor2D> {
  if (inputs === 'a') return { a: batch.a };
  if (inputs === 'b') return { b: batch.b };
  return { a: batch.a, b: batch.b };
}

/** What {@link trainXor} measured. */
export interface XorResult {
  /** Accuracy on 1000 held-out samples. */
  accuracy: number;
  /** Optimizer steps taken. */
  steps: number;
}

/**
 * Trains `head` (outDim 2) with Adam on fresh batches of 64 for at most `steps` steps (stopping
 * once the training loss, read every 20 steps, is below 0.05), then returns its accuracy on 1000
 * held-out samples and the steps taken.
 */
export function trainXor(head: FusionHead, inputs: XorInputs, rule: XorRule = 'xor', steps = 300, lr = 0.02, seed = 1): XorResult {
  const rng = Rng.stream(seed, { purpose: 'xor-data' });
  const optimizer = tf.train.adam(lr);
  const vars = Object.values(head.variables);
  let taken = 0;
  while (taken < steps) {
    const batch = xorBatch(rng, 64, rule);
    const targets = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 2);
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(targets, head.apply(features(batch, inputs), { training: true })),
      true,
      vars,
    );
    taken++;
    const done = taken % 20 === 0 && loss!.dataSync()[0]! < 0.05;
    tf.dispose([batch.a, batch.b, targets, loss!]);
    if (done) break;
  }
  optimizer.dispose();
  const test = xorBatch(Rng.stream(seed, { purpose: 'xor-test' }), 1000, rule);
  const predicted = tf.tidy(() => tf.argMax(head.apply(features(test, inputs)), 1).dataSync());
  tf.dispose([test.a, test.b]);
  let hits = 0;
  test.labels.forEach((label, i) => (hits += predicted[i] === label ? 1 : 0));
  return { accuracy: hits / test.labels.length, steps: taken };
}
