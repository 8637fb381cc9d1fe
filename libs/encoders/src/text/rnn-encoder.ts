import { z } from 'zod';
import { BackendError, loadConfigObject } from '@omnitrain/core';
import { Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { embedTokens } from './embed-tokens.js';
import { WeightInit } from '../init/weight-init.js';
import { textInputShape } from './text-input-shape.js';
import { fuseRnn } from './fuse-rnn.js';

/**
 * The schema of the GRU/LSTM encoder's config. Defaults are BENCHMARKS.md's `gru`
 * (embedding 64 -> GRU 64).
 */
export const rnnEncoderSchema = z.strictObject({
  name: z.literal('rnn'),
  ...textInputShape(64),
  cell: z.enum(['gru', 'lstm']).default('gru').describe('Recurrent cell. Default "gru".'),
  units: z.int().positive().default(64).describe('Hidden size of every layer. Default 64.'),
  numLayers: z.int().positive().default(1).describe('Stacked recurrent layers. Default 1.'),
  dropout: z.number().min(0).max(1).default(0).describe('Dropout on each layer\'s inputs in training. Default 0.'),
  output: z
    .enum(['pooled', 'sequence'])
    .default('pooled')
    .describe('"pooled": the state at the last real token [batch, units]; "sequence": [batch, time, units] with the padding mask. Default "pooled".'),
});

/** A parsed GRU/LSTM encoder config. */
export type RnnEncoderConfig = z.output<typeof rnnEncoderSchema>;
/** What {@link rnnEncoder} accepts. */
export type RnnEncoderOptions = Omit<z.input<typeof rnnEncoderSchema>, 'name'>;

/**
 * tfjs-layers' GRU and LSTM cells call chained tensor ops (`t.flatten()`), which tfjs-core alone
 * does not install; fail at build time with the fix rather than at the first step with a TypeError.
 */
function requireChainedOps(): void {
  if (typeof (Tensor.prototype as { flatten?: unknown }).flatten !== 'function') {
    throw new BackendError({
      op: 'encoders.rnn',
      expected: 'tfjs chained tensor ops (installed by @tensorflow/tfjs or tfjs-node)',
      received: 'a tfjs-core without them',
      hint: "import '@tensorflow/tfjs' (or '@tensorflow/tfjs-node') once at the composition root",
    });
  }
}

/**
 * A GRU or LSTM text encoder over token embeddings; padded steps are masked, so the pooled output
 * is the state after the last real token. On wasm with @omnitrain/wasm-kernels registered, each GRU
 * or LSTM layer runs as one fused kernel per pass (see fuseRnn); elsewhere as tfjs-layers' step-by-step ops. Inputs `[ids, attentionMask]`, both `[batch, sequenceLength]` int32.
 *
 * @param options vocabSize and sequenceLength (required); cell "gru", units 64, numLayers 1,
 *   dropout 0, output "pooled", embeddingDim 64.
 * @throws ConfigError for invalid options; BackendError when tfjs' chained tensor ops are missing.
 *
 * @example
 * rnnEncoder({ vocabSize: 1000, sequenceLength: 32, cell: 'lstm', units: 128 }).outputDim; // 128
 */
export function rnnEncoder(options: RnnEncoderOptions): Encoder<RnnEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'rnn' }, rnnEncoderSchema, { source: 'encoders.rnn' });
  requireChainedOps();
  const init = new WeightInit(config.seed);
  const { inputs, embedded } = embedTokens(config, false, init);
  let x = embedded; // [batch, time, embeddingDim] + mask
  for (let i = 0; i < config.numLayers; i++) {
    const returnSequences = i < config.numLayers - 1 || config.output === 'sequence';
    const args = { units: config.units, returnSequences, dropout: config.dropout, kernelInitializer: init.glorot(), recurrentInitializer: init.orthogonal() };
    // One fused kernel per pass where the backend has it (wasm + @omnitrain/wasm-kernels).
    const layer = config.cell === 'gru' ? fuseRnn(layers.gru(args), 'gru') : fuseRnn(layers.lstm(args), 'lstm');
    x = layer.apply(x) as SymbolicTensor; // [batch, time, units] or, for the last pooled layer, [batch, units]
  }
  return makeEncoder({ config, inputs, output: x, kind: config.output });
}
