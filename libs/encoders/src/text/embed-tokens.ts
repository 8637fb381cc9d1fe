import { input } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { TokenEmbedding } from '../layers/token-embedding.js';
import type { WeightInit } from '../init/weight-init.js';

/** The inputs and embedded tokens that {@link embedTokens} builds. */
export interface EmbeddedTokens {
  /** `ids` and `attentionMask`, both `[batch, time]` int32, in feeding order. */
  inputs: { ids: SymbolicTensor; attentionMask: SymbolicTensor };
  /** `[batch, time, embeddingDim]`, carrying the attention mask. */
  embedded: SymbolicTensor;
}

/**
 * The front of every text encoder: the `[ids, attentionMask]` inputs and their token embedding,
 * with learned positions when `positional`.
 *
 * @param config vocabSize, sequenceLength, embeddingDim of the encoder.
 * @param positional Whether to add a learned positional embedding (the Transformer's).
 * @param init The model's initializers (seeds the embedding).
 * @example
 * const { inputs, embedded } = embedTokens(config, false, new WeightInit(config.seed));
 */
export function embedTokens(
  config: { vocabSize: number; sequenceLength: number; embeddingDim: number },
  positional: boolean,
  init: WeightInit,
): EmbeddedTokens {
  const ids = input({ shape: [config.sequenceLength], dtype: 'int32' }); // [batch, time]
  const attentionMask = input({ shape: [config.sequenceLength], dtype: 'int32' }); // [batch, time]
  const embedded = new TokenEmbedding({
    vocabSize: config.vocabSize,
    dim: config.embeddingDim,
    maxLength: positional ? config.sequenceLength : 0,
    seed: init.nextSeed('token-embedding'),
  }).apply([ids, attentionMask]) as SymbolicTensor; // [batch, time, embeddingDim] + mask
  return { inputs: { ids, attentionMask }, embedded };
}
