import { ConfigError } from '@omnitrain/core';
import type { Encoder } from './encoder.js';
import { encoders } from './encoders.js';

/**
 * Builds the encoder a config names, validating the config with that encoder's schema.
 *
 * @param config Plain JSON with a `name` (`cnn`, `resnet`, `audio-conv1d`, `audio-conv2d`,
 *   `bag-of-embeddings`, `rnn`, `transformer`, `vector`) and that encoder's fields.
 * @throws ConfigError for a missing or unknown name (listing the available ones) or invalid fields.
 *
 * @example
 * const enc = encoderFromConfig({ name: 'rnn', cell: 'gru', vocabSize: 1000, sequenceLength: 32 });
 * encoderFromConfig(enc.getConfig()); // same architecture, fresh weights
 */
export function encoderFromConfig(config: unknown): Encoder {
  const name = typeof config === 'object' && config !== null ? (config as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') {
    throw new ConfigError({
      op: 'encoders.encoderFromConfig',
      expected: 'an object with a string "name"',
      received: JSON.stringify(config) ?? String(config),
      hint: `available encoders: ${encoders.list().join(', ')}`,
    });
  }
  return encoders.get(name)(config as never);
}
