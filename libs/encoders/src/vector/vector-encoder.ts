import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { input, layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { seedSchema, WeightInit } from '../init/weight-init.js';

/** The schema of the vector encoder's config. */
export const vectorEncoderSchema = z.strictObject({
  name: z.literal('vector'),
  inputDim: z.int().positive().describe('Length of one input vector (e.g. a pretrained extractor\'s outputDim). Required.'),
  units: z
    .array(z.int().positive())
    .default([64])
    .describe('Width of each dense layer, in order; [] passes the vector through unchanged (identity). Default [64].'),
  activation: z
    .enum(['relu', 'gelu', 'tanh', 'sigmoid', 'elu', 'linear'])
    .default('relu')
    .describe('Activation after each dense layer. Default "relu".'),
  dropout: z.number().min(0).lt(1).default(0).describe('Dropout rate on the input vector, in training only. Default 0.'),
  seed: seedSchema,
});

/** A parsed vector encoder config. */
export type VectorEncoderConfig = z.output<typeof vectorEncoderSchema>;
/** What {@link vectorEncoder} accepts. */
export type VectorEncoderOptions = Omit<z.input<typeof vectorEncoderSchema>, 'name'>;

/**
 * A small trainable encoder of fixed-length float vectors (the frozen features of a pretrained
 * extractor): optional input dropout, then one dense layer + activation per `units` entry, or the
 * identity when `units` is empty. Input `[batch, inputDim]`, output `[batch, units.at(-1) ?? inputDim]`.
 *
 * @param options inputDim (required); units [64], activation relu, dropout 0, seed.
 * @throws ConfigError for invalid options.
 *
 * @example
 * vectorEncoder({ inputDim: 512, units: [32] }).outputDim; // 32
 * vectorEncoder({ inputDim: 512, units: [] }).outputDim; // 512 (identity)
 */
export function vectorEncoder(options: VectorEncoderOptions): Encoder<VectorEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'vector' }, vectorEncoderSchema, { source: 'encoders.vector' });
  const init = new WeightInit(config.seed);
  const features = input({ shape: [config.inputDim] }); // [batch, inputDim]
  // A linear activation layer keeps the identity a real graph (a model's output cannot be its input).
  let x = layers.activation({ activation: 'linear' }).apply(features) as SymbolicTensor;
  if (config.dropout > 0) x = layers.dropout({ rate: config.dropout, seed: init.nextSeed('dropout') }).apply(x) as SymbolicTensor;
  for (const units of config.units) {
    x = layers.dense({ units, activation: config.activation, kernelInitializer: init.glorot() }).apply(x) as SymbolicTensor; // [batch, units]
  }
  return makeEncoder({ config, inputs: { features }, output: x });
}
