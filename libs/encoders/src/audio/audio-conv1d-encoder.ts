import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { input } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { applyConvStack, convStackShape } from '../conv/conv-stack.js';

/**
 * The schema of the 1D audio conv encoder's config. Defaults are BENCHMARKS.md's `audio1d`
 * (conv1d 128 k3 same relu, max pool 2, conv1d 128 k3 same relu, global average pool).
 */
export const audioConv1dEncoderSchema = z.strictObject({
  name: z.literal('audio-conv1d'),
  inputShape: z
    .tuple([z.int().positive(), z.int().positive()])
    .describe('[frames, mels] of one log-mel spectrogram; mels are the conv channels. Required.'),
  ...convStackShape({ filters: [128, 128], padding: 'same', poolLast: false, head: 'global-avg' }),
});

/** A parsed 1D audio conv encoder config. */
export type AudioConv1dEncoderConfig = z.output<typeof audioConv1dEncoderSchema>;
/** What {@link audioConv1dEncoder} accepts. */
export type AudioConv1dEncoderOptions = Omit<z.input<typeof audioConv1dEncoderSchema>, 'name'>;

/**
 * A 1D conv encoder over log-mel frames (time convolution, mel bins as channels).
 * Input `[batch, frames, mels]`, output `[batch, dim]`.
 *
 * @param options inputShape (required); see {@link audioConv1dEncoderSchema} for defaults.
 * @throws ConfigError for invalid options.
 *
 * @example
 * audioConv1dEncoder({ inputShape: [64, 64] }).outputDim; // 128
 */
export function audioConv1dEncoder(options: AudioConv1dEncoderOptions): Encoder<AudioConv1dEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'audio-conv1d' }, audioConv1dEncoderSchema, {
    source: 'encoders.audioConv1d',
  });
  const mels = input({ shape: config.inputShape }); // [batch, frames, mels]
  return makeEncoder({ config, inputs: { spectrogram: mels }, output: applyConvStack(mels, config, 1) });
}
