import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { dense } from '../ops/dense.js';
import { createMlp, mlp } from '../ops/mlp.js';
import type { MlpParams } from '../ops/mlp.js';
import type { DenseParams } from '../ops/param-store.js';
import { createProjections, projectEach } from '../ops/project-each.js';

/** The schema of {@link GatedFusionConfig}: the common options only. */
export const gatedFusionConfigSchema = fusionSchema('gated', {});
/** A validated gated-fusion config. */
export type GatedFusionConfig = z.output<typeof gatedFusionConfigSchema>;
/** What {@link gatedFusion} accepts. */
export type GatedFusionOptions = Omit<z.input<typeof gatedFusionConfigSchema>, 'name'>;

class GatedFusion extends BaseFusionHead<GatedFusionConfig> {
  readonly #proj: DenseParams[];
  readonly #gate: DenseParams;
  readonly #mlp: MlpParams;

  constructor(config: GatedFusionConfig) {
    super(config);
    const h = config.hiddenDim;
    this.#proj = createProjections(this.store, 'proj', this.modalities, this.dims, h);
    const width = this.dims.reduce((a, b) => a + b, 0);
    this.#gate = this.store.dense('gate', width, this.modalities.length * h);
    this.#mlp = createMlp(this.store, 'mlp', h, h, config.outDim);
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    const m = this.modalities.length;
    const h = this.config.hiddenDim;
    const hidden = projectEach(inputs, this.#proj, tf.tanh); // [batch, modalities, hidden]
    const logits = tf.reshape(dense(tf.concat(inputs, 1), this.#gate), [-1, m, h]); // [batch, modalities, hidden]
    const gates = tf.softmax(tf.transpose(logits, [0, 2, 1])); // [batch, hidden, modalities]
    const fused = tf.sum(tf.mul(tf.transpose(gates, [0, 2, 1]), hidden), 1) as tf.Tensor2D; // [batch, hidden]
    return mlp(fused, this.#mlp);
  }
}

/**
 * Gated multimodal unit (Arevalo et al., 2017): each modality is projected to `tanh(W_m x_m)` and a
 * gate computed from all inputs mixes them per feature, `h = sum_m z_m * tanh(W_m x_m)` with `z`
 * a softmax over modalities (for two, the paper's `z` and `1 - z`); a two-layer MLP follows.
 *
 * @param options modalities, outDim, hiddenDim (32), modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const head = gatedFusion({ modalities: { image: 64, text: 48 }, outDim: 5 });
 */
export function gatedFusion(options: GatedFusionOptions): FusionHead {
  return new GatedFusion(loadConfigObject({ ...options, name: 'gated' }, gatedFusionConfigSchema, { source: 'fusion.gated' }));
}
