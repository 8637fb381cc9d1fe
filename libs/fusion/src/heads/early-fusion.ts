import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { BaseFusionHead } from '../base-fusion-head.js';
import type { FusionHead } from '../fusion-head.js';
import { fusionSchema } from '../fusion-schema.js';
import { createMlp, mlp } from '../ops/mlp.js';
import type { MlpParams } from '../ops/mlp.js';

/** The schema of {@link EarlyFusionConfig}: the common options only. */
export const earlyFusionConfigSchema = fusionSchema('early', {});
/** A validated early-fusion config. */
export type EarlyFusionConfig = z.output<typeof earlyFusionConfigSchema>;
/** What {@link earlyFusion} accepts. */
export type EarlyFusionOptions = Omit<z.input<typeof earlyFusionConfigSchema>, 'name'>;

class EarlyFusion extends BaseFusionHead<EarlyFusionConfig> {
  readonly #mlp: MlpParams;

  constructor(config: EarlyFusionConfig) {
    super(config);
    const width = this.dims.reduce((a, b) => a + b, 0);
    this.#mlp = createMlp(this.store, 'mlp', width, config.hiddenDim, config.outDim);
  }

  protected fuse(inputs: tf.Tensor2D[]): tf.Tensor2D {
    return mlp(tf.concat(inputs, 1), this.#mlp); // [batch, sum dims] -> [batch, outDim]
  }
}

/**
 * Early fusion: concatenates the modalities' features and applies a two-layer MLP
 * (`hiddenDim`, ReLU). With a single modality it is the unimodal baseline.
 *
 * @param options modalities, outDim, hiddenDim (32), modalityDropout (0), seed (0).
 * @throws ConfigError for invalid options.
 *
 * @example
 * const head = earlyFusion({ modalities: { image: 64, audio: 32 }, outDim: 10 });
 * head.apply({ image, audio }); // [batch, 10]
 */
export function earlyFusion(options: EarlyFusionOptions): FusionHead {
  return new EarlyFusion(loadConfigObject({ ...options, name: 'early' }, earlyFusionConfigSchema, { source: 'fusion.early' }));
}
