import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { input } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { applyConvStack, convStackShape } from '../conv/conv-stack.js';

/**
 * The schema of the image CNN's config. Defaults are BENCHMARKS.md's `cnn` reference model
 * (conv 16 3x3 valid relu, max pool 2, conv 32 3x3 valid relu, max pool 2, flatten).
 */
export const cnnEncoderSchema = z.strictObject({
  name: z.literal('cnn'),
  inputShape: z
    .tuple([z.int().positive(), z.int().positive(), z.int().positive()])
    .describe('[height, width, channels] of one image. Required.'),
  ...convStackShape({ filters: [16, 32], padding: 'valid', poolLast: true, head: 'flatten' }),
});

/** A parsed image CNN config. */
export type CnnEncoderConfig = z.output<typeof cnnEncoderSchema>;
/** What {@link cnnEncoder} accepts. */
export type CnnEncoderOptions = Omit<z.input<typeof cnnEncoderSchema>, 'name'>;

/**
 * A small configurable image CNN: conv blocks (filters list, kernel, batch norm, pooling, dropout)
 * then flatten or global pooling. Input `[batch, height, width, channels]`, output `[batch, dim]`.
 *
 * @param options inputShape (required); see {@link cnnEncoderSchema} for the rest and their defaults.
 * @throws ConfigError for invalid options.
 *
 * @example
 * cnnEncoder({ inputShape: [28, 28, 1] }).outputDim; // 800 = 5 * 5 * 32
 */
export function cnnEncoder(options: CnnEncoderOptions): Encoder<CnnEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'cnn' }, cnnEncoderSchema, { source: 'encoders.cnn' });
  const images = input({ shape: config.inputShape }); // [batch, height, width, channels]
  return makeEncoder({ config, inputs: { images }, output: applyConvStack(images, config, 2) });
}
