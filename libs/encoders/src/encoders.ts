import { Registry } from '@omnitrain/core';
import type { Encoder } from './encoder.js';

/**
 * Builds an encoder from a config object, which the factory validates (hence `never`: any factory
 * fits, whatever options type it declares).
 */
export type EncoderFactory = (config: never) => Encoder;

/**
 * The encoder registry, by config `name`: cnn, resnet, audio-conv1d, audio-conv2d,
 * bag-of-embeddings, rnn, transformer, vector (registered in register-encoders.ts).
 *
 * @example
 * encoders.register('my-net', (c) => myNet(c));
 * encoders.get('resnt'); // ConfigError: Unknown encoder "resnt". Available: ... Did you mean "resnet"?
 */
export const encoders = new Registry<EncoderFactory>('encoder');
