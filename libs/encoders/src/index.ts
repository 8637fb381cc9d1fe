// The public door of @omnitrain/encoders: everything other libs and users may import.
import './register-encoders.js';

// --- the interface and registry ---
export type { Encoder, EncoderInputSpec, EncoderOutput } from './encoder.js';
export { makeEncoder } from './make-encoder.js';
export type { EncoderParts } from './make-encoder.js';
export { encoders } from './encoders.js';
export type { EncoderFactory } from './encoders.js';
export { encoderFromConfig } from './encoder-from-config.js';
export { encoderConfigSchema } from './encoder-config.js';
export type { EncoderConfig, EncoderConfigInput } from './encoder-config.js';

// --- image ---
export { cnnEncoder, cnnEncoderSchema } from './image/cnn-encoder.js';
export type { CnnEncoderConfig, CnnEncoderOptions } from './image/cnn-encoder.js';
export { resnetEncoder, resnetEncoderSchema } from './image/resnet-encoder.js';
export type { ResnetEncoderConfig, ResnetEncoderOptions } from './image/resnet-encoder.js';

// --- audio ---
export { audioConv1dEncoder, audioConv1dEncoderSchema } from './audio/audio-conv1d-encoder.js';
export type { AudioConv1dEncoderConfig, AudioConv1dEncoderOptions } from './audio/audio-conv1d-encoder.js';
export { audioConv2dEncoder, audioConv2dEncoderSchema } from './audio/audio-conv2d-encoder.js';
export type { AudioConv2dEncoderConfig, AudioConv2dEncoderOptions } from './audio/audio-conv2d-encoder.js';

// --- text ---
export { bagOfEmbeddingsEncoder, bagOfEmbeddingsEncoderSchema } from './text/bag-of-embeddings-encoder.js';
export type { BagOfEmbeddingsEncoderConfig, BagOfEmbeddingsEncoderOptions } from './text/bag-of-embeddings-encoder.js';
export { rnnEncoder, rnnEncoderSchema } from './text/rnn-encoder.js';
export type { RnnEncoderConfig, RnnEncoderOptions } from './text/rnn-encoder.js';
export { transformerEncoder, transformerEncoderSchema } from './text/transformer-encoder.js';
export type { TransformerEncoderConfig, TransformerEncoderOptions } from './text/transformer-encoder.js';

// --- vectors (e.g. pretrained features) ---
export { vectorEncoder, vectorEncoderSchema } from './vector/vector-encoder.js';
export type { VectorEncoderConfig, VectorEncoderOptions } from './vector/vector-encoder.js';

// --- pretrained, frozen feature extractors (+ the feature cache) ---
export type { FeatureExtractor, ExtractorModality } from './pretrained/feature-extractor.js';
export type { AudioLoader, AudioLoadOptions } from './pretrained/audio-loader.js';
export { pretrainedExtractorConfigSchema } from './pretrained/pretrained-config.js';
export type { PretrainedExtractorConfig, PretrainedExtractorConfigInput } from './pretrained/pretrained-config.js';
export { createFeatureExtractor } from './pretrained/create-feature-extractor.js';
export { useLiteExtractor } from './pretrained/use-lite-extractor.js';
export type { UseLiteOptions } from './pretrained/use-lite-extractor.js';
export { SentencePieceTokenizer } from './pretrained/sentence-piece-tokenizer.js';
export { mobilenetV2Extractor } from './pretrained/mobilenet-v2-extractor.js';
export type { MobilenetV2Options } from './pretrained/mobilenet-v2-extractor.js';
export { transformersExtractor } from './pretrained/transformers-extractor.js';
export type { TransformersExtractorOptions } from './pretrained/transformers-extractor.js';
export { cachedExtractor } from './pretrained/cached-extractor.js';
export type { CachedExtractorOptions, CacheStats } from './pretrained/cached-extractor.js';

// --- custom layers (usable in any tfjs-layers model) ---
export { TokenEmbedding } from './layers/token-embedding.js';
export type { TokenEmbeddingArgs } from './layers/token-embedding.js';
export { MaskedMeanPooling } from './layers/masked-mean-pooling.js';
export { TransformerBlock } from './layers/transformer-block.js';
export type { TransformerBlockArgs } from './layers/transformer-block.js';
