// The oracle of the fused LSTM kernels: the same recurrence as separate tfjs ops, one step at a time
// (tfjs-layers' LSTMCell), differentiated by tfjs' own tape.
import { tf } from './oracle.js';
import type { LstmSequenceAttrs } from '../lstm/lstm-contract.js';

/** The hidden and cell states [T, B, U] of an LSTM over x [T, B, 4U] (layout: assembly/lstm.ts). */
export function lstmReference(
  inputs: { x: tf.Tensor3D; h0: tf.Tensor2D; c0: tf.Tensor2D; kernel: tf.Tensor2D; bias: tf.Tensor1D; mask: tf.Tensor2D },
  attrs: LstmSequenceAttrs,
): [tf.Tensor3D, tf.Tensor3D] {
  const { x, h0, c0, kernel, bias, mask } = inputs;
  const [T, B, U4] = x.shape;
  const act = (v: tf.Tensor) =>
    attrs.recurrentActivation === 'sigmoid' ? tf.sigmoid(v) : tf.clipByValue(tf.add(tf.mul(0.2, v), 0.5), 0, 1);
  let h: tf.Tensor2D = h0;
  let c: tf.Tensor2D = c0;
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const xt = tf.reshape(tf.slice(x, [t, 0, 0], [1, B, U4]), [B, U4]);
    const [zi, zf, zg, zo] = tf.split(tf.add(xt, tf.add(tf.matMul(h, kernel), bias)), 4, 1);
    const i = act(zi!);
    const f = act(zf!);
    const g = tf.tanh(zg!);
    const o = act(zo!);
    const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
    const hNew = tf.mul(o, tf.tanh(cNew));
    const m = tf.reshape(tf.slice(mask, [t, 0], [1, B]), [B, 1]);
    const keep = tf.sub(1, m);
    h = tf.add(tf.mul(hNew, m), tf.mul(h, keep)) as tf.Tensor2D;
    c = tf.add(tf.mul(cNew, m), tf.mul(c, keep)) as tf.Tensor2D;
    hs.push(h);
    cs.push(c);
  }
  return [tf.stack(hs) as tf.Tensor3D, tf.stack(cs) as tf.Tensor3D];
}
