import { z } from 'zod';
import { ConfigError, loadConfigObject } from '@omnitrain/core';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { embedTokens } from './embed-tokens.js';
import { WeightInit } from '../init/weight-init.js';
import { TransformerBlock } from '../layers/transformer-block.js';
import { MaskedMeanPooling } from '../layers/masked-mean-pooling.js';
import { textInputShape } from './text-input-shape.js';

/**
 * The schema of the Transformer encoder's config. Defaults are BENCHMARKS.md's `transformer`
 * (embedding 64 + learned positions, one post-LN block, 2 heads, FFN 256 with tanh-GELU, mean over time).
 */
export const transformerEncoderSchema = z.strictObject({
  name: z.literal('transformer'),
  ...textInputShape(64),
  numHeads: z.int().positive().default(2).describe('Attention heads; must divide embeddingDim. Default 2.'),
  ffDim: z.int().positive().default(256).describe('Feed-forward hidden size. Default 256.'),
  numLayers: z.int().positive().default(1).describe('Stacked encoder blocks. Default 1.'),
  dropout: z.number().min(0).max(1).default(0).describe('Dropout on attention weights and residual branches in training. Default 0.'),
  output: z
    .enum(['pooled', 'sequence'])
    .default('pooled')
    .describe('"pooled": masked mean over time [batch, embeddingDim]; "sequence": [batch, time, embeddingDim] with the padding mask. Default "pooled".'),
});

/** A parsed Transformer encoder config. */
export type TransformerEncoderConfig = z.output<typeof transformerEncoderSchema>;
/** What {@link transformerEncoder} accepts. */
export type TransformerEncoderOptions = Omit<z.input<typeof transformerEncoderSchema>, 'name'>;

/**
 * A Transformer text encoder: token + learned positional embedding, post-LN encoder blocks with a
 * key padding mask, and a masked mean over time. Inputs `[ids, attentionMask]`, both
 * `[batch, sequenceLength]` int32.
 *
 * @param options vocabSize and sequenceLength (required); embeddingDim 64, numHeads 2, ffDim 256,
 *   numLayers 1, dropout 0, output "pooled".
 * @throws ConfigError for invalid options or numHeads not dividing embeddingDim.
 *
 * @example
 * transformerEncoder({ vocabSize: 1000, sequenceLength: 32 }).outputDim; // 64
 */
export function transformerEncoder(options: TransformerEncoderOptions): Encoder<TransformerEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'transformer' }, transformerEncoderSchema, {
    source: 'encoders.transformer',
  });
  if (config.embeddingDim % config.numHeads !== 0) {
    throw new ConfigError({
      op: 'encoders.transformer',
      expected: 'numHeads dividing embeddingDim',
      received: `embeddingDim ${config.embeddingDim}, numHeads ${config.numHeads}`,
      hint: 'pick embeddingDim = numHeads x head size',
    });
  }
  const init = new WeightInit(config.seed);
  const { inputs, embedded } = embedTokens(config, true, init);
  let x = embedded; // [batch, time, dModel] + mask
  for (let i = 0; i < config.numLayers; i++) {
    const block = new TransformerBlock({
      dModel: config.embeddingDim,
      numHeads: config.numHeads,
      ffDim: config.ffDim,
      dropout: config.dropout,
      seed: init.nextSeed('transformer-block'),
    });
    x = block.apply(x) as SymbolicTensor; // [batch, time, dModel]
  }
  if (config.output === 'pooled') x = new MaskedMeanPooling().apply(x) as SymbolicTensor; // [batch, dModel]
  return makeEncoder({ config, inputs, output: x, kind: config.output });
}
