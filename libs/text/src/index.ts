// The public door of @omnitrain/text: everything other libs and users may import.
import './tokenizer/register-tokenizers.js';
import './augment/register-text-augmentations.js';
import './clean/register-text-validators.js';

// --- the Tokenizer interface and its registry ---
export type {
  Tokenizer,
  TokenizerConfig,
  SpecialTokenIds,
  EncodeOptions,
  Encoding,
  BatchEncodeOptions,
  BatchEncoding,
  DecodeOptions,
} from './tokenizer/tokenizer.js';
export { tokenizers, tokenizerFromConfig } from './tokenizer/tokenizer-from-config.js';
export { finishEncoding } from './tokenizer/finish-encoding.js';
export type { EncodingParts } from './tokenizer/finish-encoding.js';
export { padEncodings } from './tokenizer/pad-encodings.js';
export { saveTokenizer } from './tokenizer/save-tokenizer.js';
export { loadTokenizer } from './tokenizer/load-tokenizer.js';

// --- the built-in word / character tokenizer ---
export { VocabTokenizer, VocabTokenizerConfigSchema } from './vocab/vocab-tokenizer.js';
export type { VocabTokenizerConfig } from './vocab/vocab-tokenizer.js';
export { VocabOptionsSchema, VocabSettingsSchema, SpecialTokensSchema } from './vocab/vocab-options.js';
export type { VocabOptions, VocabOptionsInput, SpecialTokens } from './vocab/vocab-options.js';
export { splitTokens } from './vocab/split-tokens.js';

// --- transformers.js tokenizers, from local folders only ---
export {
  TransformersTokenizer,
  TransformersTokenizerConfigSchema,
  TOKENIZER_FILES,
} from './transformers/transformers-tokenizer.js';
export type { TransformersTokenizerConfig } from './transformers/transformers-tokenizer.js';
export { initTransformers, defaultModelRoot, MODEL_ROOT_ENV } from './transformers/transformers-backend.js';
export { writeWordPieceModel, WordPieceModelOptionsSchema } from './transformers/write-word-piece-model.js';
export type { WordPieceModelOptions } from './transformers/write-word-piece-model.js';
export type { InitTransformersOptions, TransformersEnvInfo } from './transformers/transformers-backend.js';

// --- text augmentation ---
export {
  textAugmentations,
  textAugmentationFromConfig,
  probabilitySchema,
} from './augment/text-augmentation.js';
export type { TextAugmentation, TextAugmentationConfig } from './augment/text-augmentation.js';
export { TextAugmentChain } from './augment/text-augment-chain.js';
export type { TextAugmentChainConfig } from './augment/text-augment-chain.js';
export { RandomDeletion } from './augment/random-deletion.js';
export type { RandomDeletionConfig } from './augment/random-deletion.js';
export { RandomSwap } from './augment/random-swap.js';
export type { RandomSwapConfig } from './augment/random-swap.js';
export { SynonymReplacement } from './augment/synonym-replacement.js';
export type { SynonymReplacementConfig } from './augment/synonym-replacement.js';
export { CharacterNoise, TYPO_KINDS } from './augment/character-noise.js';
export type { CharacterNoiseConfig, CharacterNoiseOptions, TypoKind } from './augment/character-noise.js';
export { WordMask } from './augment/word-mask.js';
export type { WordMaskConfig } from './augment/word-mask.js';
export { splitWords } from './augment/split-words.js';

// --- text in manifests, and its cleaning ---
export { loadSampleText, loadSampleTexts } from './clean/load-sample-text.js';
export type { LoadSampleTextOptions, LoadSampleTextsOptions } from './clean/load-sample-text.js';
export { textValidator, DEFAULT_MAX_TEXT_CHARS } from './clean/text-validator.js';
export type { TextValidatorOptions } from './clean/text-validator.js';
