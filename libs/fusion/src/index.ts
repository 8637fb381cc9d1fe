// The public door of @omnitrain/fusion: everything other libs and users may import.
import './register-fusions.js';

export type { FusionHead, FusionApplyOptions, FusionConfig, ModalityFeatures } from './fusion-head.js';
export { BaseFusionHead } from './base-fusion-head.js';
export { fusionSchema, commonFusionShape } from './fusion-schema.js';
export type { CommonFusionConfig } from './fusion-schema.js';
export { modalityDropoutMask } from './modality-dropout-mask.js';
export { fusions } from './fusions.js';
export type { FusionFactory } from './fusions.js';
export { fusionFromConfig } from './fusion-from-config.js';

// --- heads ---
export { earlyFusion, earlyFusionConfigSchema } from './heads/early-fusion.js';
export type { EarlyFusionConfig, EarlyFusionOptions } from './heads/early-fusion.js';
export { lateFusion, lateFusionConfigSchema } from './heads/late-fusion.js';
export type { LateFusionConfig, LateFusionOptions } from './heads/late-fusion.js';
export { gatedFusion, gatedFusionConfigSchema } from './heads/gated-fusion.js';
export type { GatedFusionConfig, GatedFusionOptions } from './heads/gated-fusion.js';
export { attentionFusion, attentionFusionConfigSchema } from './heads/attention-fusion.js';
export type { AttentionFusionConfig, AttentionFusionOptions } from './heads/attention-fusion.js';
export { filmFusion, filmFusionConfigSchema } from './heads/film-fusion.js';
export type { FilmFusionConfig, FilmFusionOptions } from './heads/film-fusion.js';
export { lowRankFusion, lowRankFusionConfigSchema } from './heads/low-rank-fusion.js';
export type { LowRankFusionConfig, LowRankFusionOptions } from './heads/low-rank-fusion.js';
export { tensorFusion, tensorFusionConfigSchema } from './heads/tensor-fusion.js';
export type { TensorFusionConfig, TensorFusionOptions } from './heads/tensor-fusion.js';
export { crossAttentionFusion, crossAttentionFusionConfigSchema } from './heads/cross-attention-fusion.js';
export type { CrossAttentionFusionConfig, CrossAttentionFusionOptions } from './heads/cross-attention-fusion.js';

// --- building blocks for custom heads ---
export { ParamStore } from './ops/param-store.js';
export type { DenseParams } from './ops/param-store.js';
