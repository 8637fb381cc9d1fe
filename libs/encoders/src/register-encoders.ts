// Registers the built-in encoders under their config names (imported once by index.ts).
import { encoders } from './encoders.js';
import { cnnEncoder } from './image/cnn-encoder.js';
import { resnetEncoder } from './image/resnet-encoder.js';
import { audioConv1dEncoder } from './audio/audio-conv1d-encoder.js';
import { audioConv2dEncoder } from './audio/audio-conv2d-encoder.js';
import { bagOfEmbeddingsEncoder } from './text/bag-of-embeddings-encoder.js';
import { rnnEncoder } from './text/rnn-encoder.js';
import { transformerEncoder } from './text/transformer-encoder.js';
import { vectorEncoder } from './vector/vector-encoder.js';

encoders.register('cnn', cnnEncoder);
encoders.register('resnet', resnetEncoder);
encoders.register('audio-conv1d', audioConv1dEncoder);
encoders.register('audio-conv2d', audioConv2dEncoder);
encoders.register('bag-of-embeddings', bagOfEmbeddingsEncoder);
encoders.register('rnn', rnnEncoder);
encoders.register('transformer', transformerEncoder);
encoders.register('vector', vectorEncoder);
