import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { createMlp, mlp } from '../ops/mlp.js';
import type { MlpParams } from '../ops/mlp.js';

/** The schema of {@link LowRankFusionConfig}. */
export const lowRankFusionConfigSchema = fusionSchema('low-rank', {
  rank: z.int().positive().default(4).describe('Rank of the factorized fusion tensor. Default 4.'),
});
/** A validated low-rank tensor fusion config. */
export type LowRankFusionConfig = z.output<typeof lowRankFusionConfigSchema>;
/** What {@link lowRankFusion} accepts. */
export type LowRankFusionOptions = Omit<z.input<typeof lowRankFusionConfigSchema>, 'name'>;

class LowRankFusion extends BaseFusionHead<LowRankFusionConfig> {
  readonly #factors: tf.Variable[];
  readonly #rankWeights: tf.Variable;
  readonly #bias: tf.Variable;
  readonly #mlp: MlpParams;

  constructor(config: LowRankFusionConfig) {
    super(config);
    const { rank, hiddenDim: h } = config;
    // Factor m is stored as [dim_m + 1, rank * hidden]: one matMul yields every rank at once.
    this.#factors = this.modalities.map((m, i) => this.store.glorot(`factor/${m}`, [this.dims[i]! + 1, rank * h]));
    this.#rankWeights = this.store.constant('rankWeights', [1, rank, 1], 1 / rank);
    this.#bias = this.store.constant('bias', [h], 0);
    this.#mlp = createMlp(this.store, 'mlp', h, h, config.outDim);
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    const { rank, hiddenDim: h } = this.config;
    const perModality = inputs.map((x, i) => {
      const z = tf.concat([tf.onesLike(tf.slice(x, [0, 0], [-1, 1])), x], 1); // [batch, dim_m + 1]
      return tf.reshape(tf.matMul(z, this.#factors[i] as tf.Tensor2D), [-1, rank, h]); // [batch, rank, hidden]
    });
    const product = perModality.reduce((a, b) => tf.mul(a, b)); // [batch, rank, hidden]
    const fused = tf.add(tf.sum(tf.mul(product, this.#rankWeights), 1), this.#bias) as tf.Tensor2D; // [batch, hidden]
    return mlp(fused, this.#mlp);
  }
}

/**
 * Low-rank multimodal fusion (Liu et al., 2018): the tensor-fusion product of `[1; x_m]` over
 * modalities, contracted with a rank-`rank` factorized weight, computed without forming the outer
 * product: `h = sum_r w_r prod_m ([1; x_m] W_m^r) + b`; a two-layer MLP follows. Cost grows linearly
 * with the number of modalities.
 *
 * @param options modalities, outDim, hiddenDim (32), rank (4), modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const head = lowRankFusion({ modalities: { image: 64, audio: 32, text: 48 }, outDim: 10, rank: 8 });
 */
export function lowRankFusion(options: LowRankFusionOptions): FusionHead {
  return new LowRankFusion(loadConfigObject({ ...options, name: 'low-rank' }, lowRankFusionConfigSchema, { source: 'fusion.low-rank' }));
}
