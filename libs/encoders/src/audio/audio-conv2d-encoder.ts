import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { input } from '@tensorflow/tfjs-layers';
import type { Encoder } from '../encoder.js';
import { makeEncoder } from '../make-encoder.js';
import { applyConvStack, convStackShape } from '../conv/conv-stack.js';

/**
 * The schema of the 2D audio conv encoder's config. Defaults are BENCHMARKS.md's `audio2d`
 * (conv 16/32/64 3x3 same relu, max pool 2 after the first two, global average pool).
 */
export const audioConv2dEncoderSchema = z.strictObject({
  name: z.literal('audio-conv2d'),
  inputShape: z
    .tuple([z.int().positive(), z.int().positive(), z.int().positive()])
    .describe('[frames, mels, 1] of one log-mel spectrogram (or more channels, e.g. deltas). Required.'),
  ...convStackShape({ filters: [16, 32, 64], padding: 'same', poolLast: false, head: 'global-avg' }),
});

/** A parsed 2D audio conv encoder config. */
export type AudioConv2dEncoderConfig = z.output<typeof audioConv2dEncoderSchema>;
/** What {@link audioConv2dEncoder} accepts. */
export type AudioConv2dEncoderOptions = Omit<z.input<typeof audioConv2dEncoderSchema>, 'name'>;

/**
 * A 2D conv encoder over a log-mel image. Input `[batch, frames, mels, channels]`, output `[batch, dim]`.
 *
 * @param options inputShape (required); see {@link audioConv2dEncoderSchema} for defaults.
 * @throws ConfigError for invalid options.
 *
 * @example
 * audioConv2dEncoder({ inputShape: [64, 64, 1] }).outputDim; // 64
 */
export function audioConv2dEncoder(options: AudioConv2dEncoderOptions): Encoder<AudioConv2dEncoderConfig> {
  const config = loadConfigObject({ ...options, name: 'audio-conv2d' }, audioConv2dEncoderSchema, {
    source: 'encoders.audioConv2d',
  });
  const spectrogram = input({ shape: config.inputShape }); // [batch, frames, mels, channels]
  return makeEncoder({ config, inputs: { spectrogram }, output: applyConvStack(spectrogram, config, 2) });
}
