import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { BackendError, ConfigError, loadConfigObject } from '@omnitrain/core';
import { encoderConfigSchema, encoderFromConfig, encoders } from '@omnitrain/encoders';

describe('encoderFromConfig', () => {
  it('lists the available encoders for an unknown name and suggests the nearest', () => {
    expect(() => encoderFromConfig({ name: 'resnt', inputShape: [8, 8, 1] })).toThrow(
      'Unknown encoder "resnt". Available: audio-conv1d, audio-conv2d, bag-of-embeddings, cnn, resnet, rnn, transformer, vector. Did you mean "resnet"?',
    );
  });

  it('rejects a config without a name, listing the encoders', () => {
    expect(() => encoderFromConfig({ inputShape: [8, 8, 1] })).toThrow(/string "name".*available encoders: audio-conv1d/);
  });

  it('validates fields with the encoder\'s schema: unknown and invalid fields are ConfigErrors', () => {
    expect(() => encoderFromConfig({ name: 'cnn', inputShape: [8, 8, 1], filtres: [4] })).toThrow(ConfigError);
    expect(() => encoderFromConfig({ name: 'rnn', vocabSize: 10, sequenceLength: 4, cell: 'rnn' })).toThrow(/cell/);
    expect(() => encoderFromConfig({ name: 'transformer', sequenceLength: 4 })).toThrow(/vocabSize/);
  });

  it('fills documented defaults, and the union schema accepts every built-in config', () => {
    const config = encoderFromConfig({ name: 'transformer', vocabSize: 10, sequenceLength: 4 }).getConfig();
    expect(config).toEqual({ name: 'transformer', vocabSize: 10, sequenceLength: 4, embeddingDim: 64, numHeads: 2, ffDim: 256, numLayers: 1, dropout: 0, output: 'pooled' });
    expect(loadConfigObject(config, encoderConfigSchema)).toEqual(config);
    expect(encoders.list()).toHaveLength(8);
  });

  // This file loads tfjs-core and the cpu backend only, as a lib's user might.
  it('explains the missing chained tensor ops that tfjs-layers RNNs need, instead of failing mid-step', () => {
    expect(() => encoderFromConfig({ name: 'rnn', vocabSize: 10, sequenceLength: 4 })).toThrow(BackendError);
    expect(() => encoderFromConfig({ name: 'rnn', vocabSize: 10, sequenceLength: 4 })).toThrow(/import '@tensorflow\/tfjs'/);
  });

  it('the union schema fills the rnn defaults', () => {
    const config = loadConfigObject({ name: 'rnn', vocabSize: 10, sequenceLength: 4 }, encoderConfigSchema);
    expect(config).toEqual({ name: 'rnn', vocabSize: 10, sequenceLength: 4, embeddingDim: 64, cell: 'gru', units: 64, numLayers: 1, dropout: 0, output: 'pooled' });
  });
});
