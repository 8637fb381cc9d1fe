import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { dense } from '../ops/dense.js';
import { createLayerNorm, layerNorm } from '../ops/layer-norm.js';
import type { LayerNormParams } from '../ops/layer-norm.js';
import type { DenseParams } from '../ops/param-store.js';
import { createProjections, projectEach } from '../ops/project-each.js';
import { createTransformerBlock, transformerBlock } from '../ops/transformer-block.js';
import type { TransformerBlockParams } from '../ops/transformer-block.js';

/** The schema of {@link CrossAttentionFusionConfig}. */
export const crossAttentionFusionConfigSchema = fusionSchema('cross-attention', {
  heads: z.int().positive().default(2).describe('Attention heads; must divide hiddenDim. Default 2.'),
  layers: z.int().positive().default(1).describe('Transformer blocks over the modality tokens. Default 1.'),
});
/** A validated cross-modal attention config. */
export type CrossAttentionFusionConfig = z.output<typeof crossAttentionFusionConfigSchema>;
/** What {@link crossAttentionFusion} accepts. */
export type CrossAttentionFusionOptions = Omit<z.input<typeof crossAttentionFusionConfigSchema>, 'name'>;

class CrossAttentionFusion extends BaseFusionHead<CrossAttentionFusionConfig> {
  readonly #proj: DenseParams[];
  readonly #embed: tf.Variable;
  readonly #blocks: TransformerBlockParams[];
  readonly #ln: LayerNormParams;
  readonly #out: DenseParams;

  constructor(config: CrossAttentionFusionConfig) {
    super(config);
    const h = config.hiddenDim;
    if (h % config.heads !== 0) {
      throw new ConfigError({
        op: 'fusion.cross-attention',
        expected: 'heads dividing hiddenDim',
        received: `heads ${config.heads}, hiddenDim ${h}`,
      });
    }
    this.#proj = createProjections(this.store, 'proj', this.modalities, this.dims, h);
    this.#embed = this.store.normal('modalityEmbedding', [1, this.modalities.length, h], 0.02);
    this.#blocks = Array.from({ length: config.layers }, (_, i) => createTransformerBlock(this.store, `block${i}`, h, config.heads));
    this.#ln = createLayerNorm(this.store, 'ln', h);
    this.#out = this.store.dense('out', h, config.outDim);
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    let tokens = tf.add(projectEach(inputs, this.#proj), this.#embed) as tf.Tensor3D; // [batch, modalities, hidden]
    for (const block of this.#blocks) tokens = transformerBlock(tokens, block);
    const pooled = layerNorm(tf.mean(tokens, 1), this.#ln) as tf.Tensor2D; // [batch, hidden]
    return dense(pooled, this.#out);
  }
}

/**
 * Cross-modal attention: each modality becomes one token (`W_m x_m` plus a learned modality
 * embedding), `layers` pre-norm Transformer blocks let every token attend to the others, and the
 * mean token, layer-normed, is projected to `outDim`.
 *
 * @param options modalities, outDim, hiddenDim (32, the model width), heads (2), layers (1),
 *   modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options or heads not dividing hiddenDim.
 *
 * @example
 * const head = crossAttentionFusion({ modalities: { image: 64, audio: 32, text: 48 }, outDim: 10, heads: 4 });
 */
export function crossAttentionFusion(options: CrossAttentionFusionOptions): FusionHead {
  return new CrossAttentionFusion(
    loadConfigObject({ ...options, name: 'cross-attention' }, crossAttentionFusionConfigSchema, { source: 'fusion.cross-attention' }),
  );
}
