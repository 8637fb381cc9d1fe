import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { createMlp, mlp } from '../ops/mlp.js';
import type { MlpParams } from '../ops/mlp.js';

/** The schema of {@link LateFusionConfig}. */
export const lateFusionConfigSchema = fusionSchema('late', {
  weighting: z
    .enum(['average', 'learned'])
    .default('average')
    .describe('How per-modality outputs combine: plain mean, or softmax of learned per-modality weights. Default "average".'),
});
/** A validated late-fusion config. */
export type LateFusionConfig = z.output<typeof lateFusionConfigSchema>;
/** What {@link lateFusion} accepts. */
export type LateFusionOptions = Omit<z.input<typeof lateFusionConfigSchema>, 'name'>;

class LateFusion extends BaseFusionHead<LateFusionConfig> {
  readonly #mlps: MlpParams[];
  readonly #weights: tf.Variable | undefined;

  constructor(config: LateFusionConfig) {
    super(config);
    this.#mlps = this.modalities.map((m, i) => createMlp(this.store, `mlp/${m}`, this.dims[i]!, config.hiddenDim, config.outDim));
    this.#weights = config.weighting === 'learned' ? this.store.constant('weights', [this.modalities.length], 0) : undefined;
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    const outs = tf.stack(inputs.map((x, i) => mlp(x, this.#mlps[i]!)), 1); // [batch, modalities, outDim]
    if (this.#weights === undefined) return tf.mean(outs, 1) as tf.Tensor2D;
    const w = tf.reshape(tf.softmax(this.#weights), [1, -1, 1]); // [1, modalities, 1]
    return tf.sum(tf.mul(outs, w), 1) as tf.Tensor2D; // [batch, outDim]
  }
}

/**
 * Late fusion: one two-layer MLP per modality produces outputs (logits) that are averaged, or
 * weighted by a learned softmax over modalities. The combination is additive, so it cannot
 * represent interactions between modalities (e.g. XOR of one bit from each).
 *
 * @param options modalities, outDim, hiddenDim (32), weighting ("average"), modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const head = lateFusion({ modalities: { image: 64, audio: 32 }, outDim: 10, weighting: 'learned' });
 */
export function lateFusion(options: LateFusionOptions): FusionHead {
  return new LateFusion(loadConfigObject({ ...options, name: 'late' }, lateFusionConfigSchema, { source: 'fusion.late' }));
}
