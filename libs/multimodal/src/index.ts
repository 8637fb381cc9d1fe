// The public door of @omnitrain/multimodal: everything other libs and users may import.

// --- the embedded tri-modal digits dataset ---
export { buildDigits, DIGITS_MANIFEST, DIGITS_STAMP } from './datasets/digits/build-digits.js';
export type { BuildDigitsOptions, DigitsBuild } from './datasets/digits/build-digits.js';
export { digitsOptionsSchema } from './datasets/digits/digits-options.js';
export type { DigitsOptions, DigitsOptionsInput } from './datasets/digits/digits-options.js';
export { DIGIT_WORDS } from './datasets/digits/digit-words.js';

// --- featurizers: files to model inputs ---
export { featuresConfigSchema, parseFeaturesConfig } from './featurize/features-config.js';
export type { FeaturesConfig, FeaturesConfigInput } from './featurize/features-config.js';
export { ImageFeaturizer } from './featurize/image-featurizer.js';
export { AudioFeaturizer } from './featurize/audio-featurizer.js';
export { TextFeaturizer } from './featurize/text-featurizer.js';
export type { TextFeatures } from './featurize/text-featurizer.js';
export { MultimodalFeaturizer, MODALITIES } from './featurize/multimodal-featurizer.js';
export type { MultimodalFeaturizerOptions, SampleFeatures } from './featurize/multimodal-featurizer.js';
export { FeaturizerPool } from './featurize/featurizer-pool.js';
export type { FeaturizerPoolOptions } from './featurize/featurizer-pool.js';

// --- batches for the engine ---
export { collateFeatures } from './batch/collate-features.js';
export { multimodalBatchSource } from './batch/multimodal-batch-source.js';
export type { MultimodalBatchSourceOptions } from './batch/multimodal-batch-source.js';
export { multimodalEvalSource } from './batch/multimodal-eval-source.js';
export type { MultimodalEvalSourceOptions } from './batch/multimodal-eval-source.js';
export { FeatureDiskCache } from './batch/feature-disk-cache.js';
export type { FeatureDiskCacheOptions, FeatureDiskCacheStats } from './batch/feature-disk-cache.js';
export { featureCodeVersion } from './batch/feature-code-version.js';

// --- the model ---
export { modelConfigSchema, parseModelConfig } from './model/model-config.js';
export type { ModelConfig, ModelConfigInput } from './model/model-config.js';
export { fillInputShapes } from './model/fill-input-shapes.js';
export { MultimodalModel } from './model/multimodal-model.js';

// --- the digits demo's run config ---
export { digitsRunConfig } from './digits-run-config.js';
export type { DigitsRunConfig, DigitsRunConfigOptions } from './digits-run-config.js';

// --- pretrained, frozen features (extractors of @omnitrain/encoders, cached on disk) ---
export { pretrainedFeaturesConfigSchema, parsePretrainedFeaturesConfig } from './pretrained/pretrained-features-config.js';
export type { PretrainedFeaturesConfig, PretrainedFeaturesConfigInput } from './pretrained/pretrained-features-config.js';
export { PretrainedFeaturizer } from './pretrained/pretrained-featurizer.js';
export type { PretrainedFeaturizerOptions, PretrainedSampleFeatures } from './pretrained/pretrained-featurizer.js';
export { PretrainedVectors } from './pretrained/pretrained-vectors.js';
export { wavAudioLoader } from './pretrained/wav-audio-loader.js';
