/**
 * @omnitrain/compress: the public door. Model compression (TF-MOT / torch.ao style): magnitude
 * pruning with a polynomial-decay schedule as a Trainer callback, post-training int8 quantization
 * saved as safetensors, and knowledge distillation as a TrainableModel wrapper.
 */

// --- pruning ---
export { selectWeights, DEFAULT_EXCLUDE } from './prune/select-weights.js';
export type { SelectWeightsOptions } from './prune/select-weights.js';
export { pruneConfigSchema, sparsityScheduleSchema, parsePruneConfig } from './prune/prune-config.js';
export type { PruneConfig, PruneConfigInput, SparsitySchedule } from './prune/prune-config.js';
export { magnitudeMasks } from './prune/magnitude-masks.js';
export { applyMasks } from './prune/apply-masks.js';
export { polynomialDecaySparsity } from './prune/polynomial-decay-sparsity.js';
export { pruningCallback } from './prune/pruning-callback.js';
export type { PruningCallback } from './prune/pruning-callback.js';
export { countNonzero } from './prune/count-nonzero.js';
export type { NonzeroCount } from './prune/count-nonzero.js';

// --- quantization ---
export { quantizeConfigSchema, parseQuantizeConfig } from './quantize/quantize-config.js';
export type { QuantizeConfig, QuantizeConfigInput } from './quantize/quantize-config.js';
export { quantizeInt8 } from './quantize/quantize-int8.js';
export type { QuantizedInt8 } from './quantize/quantize-int8.js';
export { dequantizeInt8 } from './quantize/dequantize-int8.js';
export { quantizeWeights } from './quantize/quantize-weights.js';
export type { QuantizedWeights } from './quantize/quantize-weights.js';
export {
  saveQuantizedWeights,
  QUANTIZATION_METADATA_KEY,
  QUANTIZATION_FORMAT,
  SCALE_SUFFIX,
  ZERO_POINT_SUFFIX,
} from './quantize/save-quantized-weights.js';
export { loadQuantizedWeights } from './quantize/load-quantized-weights.js';

// --- distillation ---
export { distillationLoss } from './distill/distillation-loss.js';
export type { DistillationOptions } from './distill/distillation-loss.js';
export { distillationModel } from './distill/distillation-model.js';
export type { DistillationModelOptions } from './distill/distillation-model.js';
