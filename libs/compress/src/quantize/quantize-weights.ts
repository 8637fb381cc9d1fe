import type * as tf from '@tensorflow/tfjs-core';
import { selectWeights } from '../prune/select-weights.js';
import { dequantizeInt8 } from './dequantize-int8.js';
import type { QuantizeConfig } from './quantize-config.js';
import { quantizeInt8 } from './quantize-int8.js';
import type { QuantizedInt8 } from './quantize-int8.js';

/** A model's weights after {@link quantizeWeights}. */
export interface QuantizedWeights {
  /** The quantized weights by name. */
  readonly int8: Readonly<Record<string, QuantizedInt8>>;
  /** The weights kept float32 (biases, norms, 1-D and excluded ones) by name. */
  readonly float32: Readonly<Record<string, { readonly data: Float32Array; readonly shape: readonly number[] }>>;
  /** The largest |x - dequantize(quantize(x))| over all quantized elements. */
  readonly maxAbsError: number;
  /** The config used. */
  readonly config: QuantizeConfig;
}

/**
 * Post-training quantization of a model's weights: each selected weight of rank >= 2 becomes int8
 * ({@link quantizeInt8}); the rest stay float32.
 *
 * @param weights Weights by name (read, not changed).
 * @param config A parsed quantize config ({@link parseQuantizeConfig}).
 * @returns The int8 and float32 parts and the largest round-trip error.
 *
 * @example
 * const q = quantizeWeights(model.variables, parseQuantizeConfig({ granularity: 'per-channel' }));
 */
export function quantizeWeights(weights: Readonly<Record<string, tf.Tensor>>, config: QuantizeConfig): QuantizedWeights {
  const names = Object.keys(weights);
  const chosen = new Set(selectWeights(names, { include: config.include, exclude: config.exclude, op: 'compress.quantizeWeights' }).filter((n) => weights[n]!.rank >= 2));
  const int8: Record<string, QuantizedInt8> = {};
  const float32: Record<string, { data: Float32Array; shape: number[] }> = {};
  let maxAbsError = 0;
  for (const name of names) {
    const t = weights[name]!;
    const data = Float32Array.from(t.dataSync() as ArrayLike<number>);
    if (!chosen.has(name)) {
      float32[name] = { data, shape: [...t.shape] };
      continue;
    }
    const q = quantizeInt8(data, t.shape, config);
    const back = dequantizeInt8(q);
    for (let i = 0; i < data.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(back[i]! - data[i]!));
    int8[name] = q;
  }
  return { int8, float32, maxAbsError, config };
}
