import { writeSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';
import type { QuantizedWeights } from './quantize-weights.js';

/** Metadata key of a quantized weights file: JSON `{ format, scheme, granularity, int8: [names] }`. */
export const QUANTIZATION_METADATA_KEY = 'omnitrain.quantization';
/** Format tag of a quantized weights file. */
export const QUANTIZATION_FORMAT = 'omnitrain.int8/1';
/** Suffix of a quantized weight's scale tensor (float32 [channels]). */
export const SCALE_SUFFIX = ':scale';
/** Suffix of a quantized weight's zero-point tensor (int8 [channels]; absent when symmetric). */
export const ZERO_POINT_SUFFIX = ':zero_point';

/**
 * Writes quantized weights as one safetensors file (atomically): each int8 weight under its name
 * (dtype I8), its scales under `<name>:scale` (F32), its zero-points under `<name>:zero_point` (I8,
 * asymmetric only); the float32 weights as F32 under their names. {@link loadQuantizedWeights}
 * reads it back dequantized.
 *
 * @param path The file to write.
 * @param weights {@link quantizeWeights}'s result.
 * @param metadata More metadata entries. Default none.
 * @returns The file's size in bytes.
 *
 * @example
 * const bytes = await saveQuantizedWeights('model.int8.safetensors', quantizeWeights(model.variables, config));
 */
export async function saveQuantizedWeights(path: string, weights: QuantizedWeights, metadata: Readonly<Record<string, string>> = {}): Promise<number> {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, q] of Object.entries(weights.int8)) {
    tensors[name] = { dtype: 'I8', shape: q.shape, data: q.q };
    tensors[`${name}${SCALE_SUFFIX}`] = { dtype: 'F32', shape: [q.scale.length], data: q.scale };
    if (weights.config.scheme === 'asymmetric') tensors[`${name}${ZERO_POINT_SUFFIX}`] = { dtype: 'I8', shape: [q.zeroPoint.length], data: q.zeroPoint };
  }
  for (const [name, f] of Object.entries(weights.float32)) tensors[name] = { dtype: 'F32', shape: f.shape, data: f.data };
  const info = { format: QUANTIZATION_FORMAT, scheme: weights.config.scheme, granularity: weights.config.granularity, int8: Object.keys(weights.int8) };
  return writeSafetensors(path, tensors, { ...metadata, [QUANTIZATION_METADATA_KEY]: JSON.stringify(info) });
}
