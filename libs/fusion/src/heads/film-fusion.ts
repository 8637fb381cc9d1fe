import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { dense } from '../ops/dense.js';
import { createMlp, mlp } from '../ops/mlp.js';
import type { MlpParams } from '../ops/mlp.js';
import type { DenseParams } from '../ops/param-store.js';

/** The schema of {@link FilmFusionConfig}. */
export const filmFusionConfigSchema = fusionSchema('film', {
  target: z
    .string()
    .min(1)
    .optional()
    .describe('The modality that is modulated; the others condition it. Default: the first modality.'),
});
/** A validated FiLM config. */
export type FilmFusionConfig = z.output<typeof filmFusionConfigSchema>;
/** What {@link filmFusion} accepts. */
export type FilmFusionOptions = Omit<z.input<typeof filmFusionConfigSchema>, 'name'>;

class FilmFusion extends BaseFusionHead<FilmFusionConfig> {
  readonly #target: number;
  readonly #proj: DenseParams;
  readonly #gamma: DenseParams;
  readonly #beta: DenseParams;
  readonly #mlp: MlpParams;

  constructor(config: FilmFusionConfig) {
    super(config);
    const target = config.target ?? this.modalities[0]!;
    this.#target = this.modalities.indexOf(target);
    if (this.#target < 0 || this.modalities.length < 2) {
      throw new ConfigError({
        op: 'fusion.film',
        expected: 'at least two modalities, and a target among them',
        received: `modalities ${this.modalities.join(', ')}; target "${target}"`,
      });
    }
    const h = config.hiddenDim;
    const ctx = this.dims.reduce((a, b) => a + b, 0) - this.dims[this.#target]!;
    this.#proj = this.store.dense('proj', this.dims[this.#target]!, h);
    this.#gamma = this.store.dense('gamma', ctx, h);
    this.#beta = this.store.dense('beta', ctx, h);
    this.#mlp = createMlp(this.store, 'mlp', h, h, config.outDim);
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    const ctx = tf.concat(inputs.filter((_, i) => i !== this.#target), 1); // [batch, sum of other dims]
    const x = dense(inputs[this.#target]!, this.#proj); // [batch, hidden]
    const gamma = tf.add(1, dense(ctx, this.#gamma)); // [batch, hidden], identity at init scale
    const fused = tf.relu(tf.add(tf.mul(gamma, x), dense(ctx, this.#beta))) as tf.Tensor2D; // [batch, hidden]
    return mlp(fused, this.#mlp);
  }
}

/**
 * FiLM (Perez et al., 2018): the target modality's projection is modulated feature-wise by the
 * others, `relu((1 + gamma(ctx)) * W x_target + beta(ctx))`, with `gamma`, `beta` dense layers of
 * the other modalities' concatenated features; a two-layer MLP follows.
 *
 * @param options modalities (at least two), outDim, hiddenDim (32), target (first modality),
 *   modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options or a target that is not a modality.
 *
 * @example
 * const head = filmFusion({ modalities: { image: 64, text: 48 }, outDim: 10, target: 'image' });
 */
export function filmFusion(options: FilmFusionOptions): FusionHead {
  return new FilmFusion(loadConfigObject({ ...options, name: 'film' }, filmFusionConfigSchema, { source: 'fusion.film' }));
}
