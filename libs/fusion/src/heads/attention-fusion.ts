import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { createMlp, mlp } from '../ops/mlp.js';
import type { MlpParams } from '../ops/mlp.js';
import type { DenseParams } from '../ops/param-store.js';
import { createProjections, projectEach } from '../ops/project-each.js';

/** The schema of {@link AttentionFusionConfig}: the common options only. */
export const attentionFusionConfigSchema = fusionSchema('attention', {});
/** A validated attention-fusion config. */
export type AttentionFusionConfig = z.output<typeof attentionFusionConfigSchema>;
/** What {@link attentionFusion} accepts. */
export type AttentionFusionOptions = Omit<z.input<typeof attentionFusionConfigSchema>, 'name'>;

class AttentionFusion extends BaseFusionHead<AttentionFusionConfig> {
  readonly #proj: DenseParams[];
  readonly #score: tf.Variable;
  readonly #mlp: MlpParams;

  constructor(config: AttentionFusionConfig) {
    super(config);
    const h = config.hiddenDim;
    this.#proj = createProjections(this.store, 'proj', this.modalities, this.dims, h);
    this.#score = this.store.glorot('score', [h, 1]);
    this.#mlp = createMlp(this.store, 'mlp', h, h, config.outDim);
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    const m = this.modalities.length;
    const h = this.config.hiddenDim;
    const p = projectEach(inputs, this.#proj, tf.tanh); // [batch, modalities, hidden]
    const flat = tf.reshape(p, [-1, h]); // [batch * modalities, hidden]
    const scores = tf.reshape(tf.matMul(flat, this.#score as tf.Tensor2D), [-1, m]); // [batch, modalities]
    const alpha = tf.expandDims(tf.softmax(scores), 2); // [batch, modalities, 1]
    const fused = tf.sum(tf.mul(alpha, p), 1) as tf.Tensor2D; // [batch, hidden]
    return mlp(fused, this.#mlp);
  }
}

/**
 * Attention-weighted fusion: each modality is projected to `p_m = tanh(W_m x_m)`, scored by a
 * shared vector, and the projections are averaged with softmax weights over modalities
 * (per sample); a two-layer MLP follows.
 *
 * @param options modalities, outDim, hiddenDim (32), modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const head = attentionFusion({ modalities: { image: 64, audio: 32, text: 48 }, outDim: 10 });
 */
export function attentionFusion(options: AttentionFusionOptions): FusionHead {
  return new AttentionFusion(
    loadConfigObject({ ...options, name: 'attention' }, attentionFusionConfigSchema, { source: 'fusion.attention' }),
  );
}
