import { DataError } from '@omnitrain/core';
import type { QuantizeConfig } from './quantize-config.js';

/** An int8-quantized tensor: `x ≈ (q - zeroPoint[c]) * scale[c]` with `c` the channel (last axis) or 0. */
export interface QuantizedInt8 {
  /** The quantized values, row-major. */
  readonly q: Int8Array;
  readonly shape: readonly number[];
  /** One scale per channel (per-channel) or one (per-tensor); always > 0. */
  readonly scale: Float32Array;
  /** One zero-point per scale; all 0 when symmetric. */
  readonly zeroPoint: Int8Array;
}

/**
 * Quantizes float values to int8 (torch.ao's `quantize_per_tensor` / `quantize_per_channel` with
 * axis = last): symmetric `s = max|x| / 127`, `q = clamp(round(x / s), -127, 127)`; asymmetric over
 * `[min(x, 0), max(x, 0)]`, `s = (max - min) / 255`, `z = round(-128 - min / s)`,
 * `q = clamp(round(x / s) + z, -128, 127)`. Each element's error after {@link dequantizeInt8} is at
 * most `s / 2`; 0 stays exactly 0.
 *
 * @param values Float values, row-major.
 * @param shape Their shape (rank >= 1 for per-channel).
 * @param config scheme and granularity.
 * @returns q, scale and zeroPoint.
 * @throws DataError on a non-finite value or a length that does not match the shape.
 *
 * @example
 * const { q, scale } = quantizeInt8(new Float32Array([0.5, -1, 0.25]), [3], { scheme: 'symmetric', granularity: 'per-tensor' });
 */
export function quantizeInt8(values: Float32Array, shape: readonly number[], config: Pick<QuantizeConfig, 'scheme' | 'granularity'>): QuantizedInt8 {
  const size = shape.reduce((a, b) => a * b, 1);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (values.length !== size || bad >= 0) {
    throw new DataError({ op: 'compress.quantizeInt8', expected: `${size} finite values for shape [${shape}]`, received: bad >= 0 ? `${values[bad]} at index ${bad}` : `${values.length} values`, hint: 'quantize a trained model whose weights are finite' });
  }
  const channels = config.granularity === 'per-channel' && shape.length > 0 ? shape.at(-1)! : 1;
  const lo = new Float64Array(channels);
  const hi = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    lo[c] = Math.min(lo[c]!, values[i]!);
    hi[c] = Math.max(hi[c]!, values[i]!);
  }
  const scale = new Float32Array(channels);
  const zeroPoint = new Int8Array(channels);
  for (let c = 0; c < channels; c++) {
    if (config.scheme === 'symmetric') {
      scale[c] = Math.max(-lo[c]!, hi[c]!) / 127 || 1;
    } else {
      scale[c] = (hi[c]! - lo[c]!) / 255 || 1;
      zeroPoint[c] = Math.max(-128, Math.min(127, Math.round(-128 - lo[c]! / scale[c]!)));
    }
  }
  const [qmin, qmax] = config.scheme === 'symmetric' ? [-127, 127] : [-128, 127];
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    q[i] = Math.max(qmin, Math.min(qmax, Math.round(values[i]! / scale[c]!) + zeroPoint[c]!));
  }
  return { q, shape: [...shape], scale, zeroPoint };
}
