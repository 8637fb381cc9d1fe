// The oracle of the fused GRU kernels: the same recurrence as separate tfjs ops, one step at a time
// (what tfjs-layers' GRU and the benchmark's unfused model run), differentiated by tfjs' own tape.
import { tf } from './oracle.js';
import type { GruSequenceAttrs } from '../gru/gru-contract.js';

/** The states [T, B, U] of a GRU over x [T, B, 3U] (layouts and variants: assembly/gru.ts). */
export function gruReference(
  inputs: { x: tf.Tensor3D; h0: tf.Tensor2D; kernel: tf.Tensor2D; bias: tf.Tensor1D; mask: tf.Tensor2D },
  attrs: GruSequenceAttrs,
): tf.Tensor3D {
  const { x, h0, kernel, bias, mask } = inputs;
  const [T, B, U3] = x.shape;
  const U = U3 / 3;
  const act = (v: tf.Tensor) =>
    attrs.recurrentActivation === 'sigmoid' ? tf.sigmoid(v) : tf.clipByValue(tf.add(tf.mul(0.2, v), 0.5), 0, 1);
  // Slices, not tf.unstack: tfjs' Unpack gradient fails when T = 1 (one output, no array).
  const xs = Array.from({ length: T }, (_, t) => tf.reshape(tf.slice(x, [t, 0, 0], [1, B, U3]), [B, U3]) as tf.Tensor2D);
  const ms = Array.from({ length: T }, (_, t) => tf.slice(mask, [t, 0], [1, B]));
  let h: tf.Tensor2D = h0;
  const out: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    let r: tf.Tensor, z: tf.Tensor, n: tf.Tensor;
    if (attrs.resetAfter) {
      const [hr, hz, hn] = tf.split(tf.add(tf.matMul(h, kernel), bias), 3, 1);
      const [xr, xz, xn] = tf.split(xs[t]!, 3, 1);
      r = act(tf.add(xr!, hr!));
      z = act(tf.add(xz!, hz!));
      n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
    } else {
      const [xz, xr, xn] = tf.split(xs[t]!, 3, 1);
      const [kzr, kn] = tf.split(kernel, [2 * U, U], 1);
      const [bzr, bn] = tf.split(bias, [2 * U, U]);
      const [pz, pr] = tf.split(tf.add(tf.matMul(h, kzr!), bzr!), 2, 1);
      z = act(tf.add(xz!, pz!));
      r = act(tf.add(xr!, pr!));
      n = tf.tanh(tf.add(xn!, tf.add(tf.matMul(tf.mul(r, h), kn!), bn!)));
    }
    const hNew = tf.add(n, tf.mul(z, tf.sub(h, n)));
    const m = tf.reshape(ms[t]!, [B, 1]);
    h = tf.add(tf.mul(hNew, m), tf.mul(h, tf.sub(1, m))) as tf.Tensor2D;
    out.push(h);
  }
  return tf.stack(out) as tf.Tensor3D;
}
