import type { QuantizedInt8 } from './quantize-int8.js';

/**
 * Back to float32: `x = (q - zeroPoint[c]) * scale[c]`, `c` = index mod channels (the last axis when
 * per-channel, 0 when per-tensor).
 *
 * @param t The quantized tensor ({@link quantizeInt8}, or read from a checkpoint).
 * @returns The float values, row-major.
 *
 * @example
 * const x = dequantizeInt8(quantizeInt8(w, [4, 3], { scheme: 'symmetric', granularity: 'per-channel' }));
 */
export function dequantizeInt8(t: Pick<QuantizedInt8, 'q' | 'scale' | 'zeroPoint'>): Float32Array {
  const channels = t.scale.length;
  return Float32Array.from(t.q, (q, i) => (q - t.zeroPoint[i % channels]!) * t.scale[i % channels]!);
}
