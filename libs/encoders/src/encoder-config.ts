import { z } from 'zod';
import { cnnEncoderSchema } from './image/cnn-encoder.js';
import { resnetEncoderSchema } from './image/resnet-encoder.js';
import { audioConv1dEncoderSchema } from './audio/audio-conv1d-encoder.js';
import { audioConv2dEncoderSchema } from './audio/audio-conv2d-encoder.js';
import { bagOfEmbeddingsEncoderSchema } from './text/bag-of-embeddings-encoder.js';
import { rnnEncoderSchema } from './text/rnn-encoder.js';
import { transformerEncoderSchema } from './text/transformer-encoder.js';
import { vectorEncoderSchema } from './vector/vector-encoder.js';

/**
 * The config of any built-in encoder, discriminated by `name`; for a run config's `model.encoders`
 * section (encoders registered by users validate through their own factory instead).
 *
 * @example
 * loadConfigObject({ name: 'resnet', inputShape: [32, 32, 3] }, encoderConfigSchema);
 */
export const encoderConfigSchema = z.discriminatedUnion('name', [
  cnnEncoderSchema,
  resnetEncoderSchema,
  audioConv1dEncoderSchema,
  audioConv2dEncoderSchema,
  bagOfEmbeddingsEncoderSchema,
  rnnEncoderSchema,
  transformerEncoderSchema,
  vectorEncoderSchema,
]);

/** A parsed built-in encoder config. */
export type EncoderConfig = z.output<typeof encoderConfigSchema>;
/** A built-in encoder config as written (defaults optional). */
export type EncoderConfigInput = z.input<typeof encoderConfigSchema>;
