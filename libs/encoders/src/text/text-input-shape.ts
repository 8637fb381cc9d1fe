import { z } from 'zod';
import { seedSchema } from '../init/weight-init.js';

/**
 * The zod fields every text encoder shares: the token-id input and its embedding.
 *
 * @param embeddingDim Default embedding size of this encoder.
 * @example
 * z.strictObject({ name: z.literal('rnn'), ...textInputShape(64), units: z.int() });
 */
export function textInputShape(embeddingDim: number) {
  return {
    vocabSize: z.int().positive().describe('Number of token ids (ids are in [0, vocabSize)). Required.'),
    sequenceLength: z.int().positive().describe('Tokens per sample after padding/truncation: input [batch, sequenceLength]. Required.'),
    embeddingDim: z
      .int()
      .positive()
      .default(embeddingDim)
      .describe(`Token embedding size. Default ${embeddingDim}.`),
    seed: seedSchema,
  };
}
