import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { embedTokens } from './embed-tokens.js';
import { WeightInit } from '../init/weight-init.js';
import { MaskedMeanPooling } from '../layers/masked-mean-pooling.js';
import { textInputShape } from './text-input-shape.js';

/** The schema of the bag-of-embeddings encoder's config. */
export const bagOfEmbeddingsEncoderSchema = z.strictObject({
  name: z.literal('bag-of-embeddings'),
  ...textInputShape(64),
});

/** A parsed bag-of-embeddings config. */
export type BagOfEmbeddingsEncoderConfig = z.output<typeof bagOfEmbeddingsEncoderSchema>;
/** What {@link bagOfEmbeddingsEncoder} accepts. */
export type BagOfEmbeddingsEncoderOptions = Omit<z.input<typeof bagOfEmbeddingsEncoderSchema>, 'name'>;

/**
 * Bag of embeddings: the mean of the token embeddings over the non-padding positions.
 * Inputs `[ids, attentionMask]`, both `[batch, sequenceLength]` int32; output `[batch, embeddingDim]`.
 *
 * @param options vocabSize and sequenceLength (required); embeddingDim 64.
 * @throws ConfigError for invalid options.
 *
 * @example
 * bagOfEmbeddingsEncoder({ vocabSize: 1000, sequenceLength: 32 }).outputDim; // 64
 */
export function bagOfEmbeddingsEncoder(options: BagOfEmbeddingsEncoderOptions): Encoder<BagOfEmbeddingsEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'bag-of-embeddings' }, bagOfEmbeddingsEncoderSchema, {
    source: 'encoders.bagOfEmbeddings',
  });
  const init = new WeightInit(config.seed);
  const { inputs, embedded } = embedTokens(config, false, init); // [batch, time, embeddingDim] + mask
  const pooled = new MaskedMeanPooling().apply(embedded) as SymbolicTensor; // [batch, embeddingDim]
  return makeEncoder({ config, inputs, output: pooled });
}
