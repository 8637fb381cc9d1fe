import * as tf from '@tensorflow/tfjs-core';
import { dense } from './dense.js';
import { createLayerNorm, layerNorm } from './layer-norm.js';
import type { LayerNormParams } from './layer-norm.js';
import { createMlp, mlp } from './mlp.js';
import type { MlpParams } from './mlp.js';
import type { DenseParams, ParamStore } from './param-store.js';

/** A pre-norm Transformer encoder block's variables. */
export interface TransformerBlockParams {
  /** Number of attention heads. */
  heads: number;
  /** Norm before the attention. */
  ln1: LayerNormParams;
  /** Fused query/key/value projection, `dModel -> 3 dModel`. */
  qkv: DenseParams;
  /** Output projection of the attention. */
  out: DenseParams;
  /** Norm before the feed-forward network. */
  ln2: LayerNormParams;
  /** Feed-forward network, `dModel -> 2 dModel -> dModel`. */
  ffn: MlpParams;
}

/**
 * Creates a pre-norm Transformer block's variables under `name`.
 *
 * @example const block = createTransformerBlock(store, 'block0', 32, 2);
 */
export function createTransformerBlock(store: ParamStore, name: string, dModel: number, heads: number): TransformerBlockParams {
  return {
    heads,
    ln1: createLayerNorm(store, `${name}/ln1`, dModel),
    qkv: store.dense(`${name}/qkv`, dModel, 3 * dModel),
    out: store.dense(`${name}/out`, dModel, dModel),
    ln2: createLayerNorm(store, `${name}/ln2`, dModel),
    ffn: createMlp(store, `${name}/ffn`, dModel, 2 * dModel, dModel),
  };
}

/**
 * Applies a pre-norm Transformer encoder block: `x + attn(ln1(x))`, then `x + ffn(ln2(x))`, with
 * multi-head scaled dot-product self-attention over the tokens.
 *
 * @param x `[batch, tokens, dModel]`.
 * @returns `[batch, tokens, dModel]`.
 *
 * @example transformerBlock(tokens, block)
 */
export function transformerBlock(x: tf.Tensor3D, p: TransformerBlockParams): tf.Tensor3D {
  const [batch, tokens, dModel] = x.shape;
  const dHead = dModel / p.heads;
  const flat = tf.reshape<tf.Rank.R2>(layerNorm(x, p.ln1), [batch * tokens, dModel]); // [batch * tokens, dModel]
  const qkv = tf.reshape(dense(flat, p.qkv), [batch, tokens, 3, p.heads, dHead]);
  const [q, k, v] = [0, 1, 2].map((i) =>
    tf.transpose(tf.squeeze(tf.slice(qkv, [0, 0, i, 0, 0], [-1, -1, 1, -1, -1]), [2]), [0, 2, 1, 3]),
  ) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // each [batch, heads, tokens, dHead]
  const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dHead)); // [batch, heads, tokens, tokens]
  const attended = tf.matMul(tf.softmax(scores), v); // [batch, heads, tokens, dHead]
  const merged = tf.reshape<tf.Rank.R2>(tf.transpose(attended, [0, 2, 1, 3]), [batch * tokens, dModel]); // [batch * tokens, dModel]
  const x1 = tf.add(x, tf.reshape(dense(merged, p.out), [batch, tokens, dModel])); // [batch, tokens, dModel]
  const ffn = mlp(tf.reshape<tf.Rank.R2>(layerNorm(x1, p.ln2), [batch * tokens, dModel]), p.ffn); // [batch * tokens, dModel]
  return tf.add(x1, tf.reshape(ffn, [batch, tokens, dModel]));
}
