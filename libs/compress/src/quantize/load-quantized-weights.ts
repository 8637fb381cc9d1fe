import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, readSafetensors, safetensorsToTensor } from '@omnitrain/core';
import { dequantizeInt8 } from './dequantize-int8.js';
import { QUANTIZATION_FORMAT, QUANTIZATION_METADATA_KEY, SCALE_SUFFIX, ZERO_POINT_SUFFIX } from './save-quantized-weights.js';

/**
 * Reads a file of {@link saveQuantizedWeights} and dequantizes it: every weight comes back float32
 * under its name (the scale and zero-point tensors are consumed).
 *
 * @param path The file.
 * @returns The float32 tensors (the caller disposes them) and the file's metadata.
 * @throws CheckpointError when the file is not a quantized weights file or a scale is missing.
 *
 * @example
 * const { tensors } = await loadQuantizedWeights('model.int8.safetensors');
 */
export async function loadQuantizedWeights(path: string): Promise<{ tensors: tf.NamedTensorMap; metadata: Record<string, string> }> {
  const { tensors, metadata } = await readSafetensors(path);
  const fail = (expected: string, received: string): never => {
    throw new CheckpointError({ op: 'compress.loadQuantizedWeights', expected, received, where: `file ${path}`, hint: 'write it with saveQuantizedWeights (omnitrain compress --quantize int8)' });
  };
  let info: { format?: string; int8?: string[] } = {};
  try {
    info = JSON.parse(metadata[QUANTIZATION_METADATA_KEY] ?? '{}') as typeof info;
  } catch {
    fail('JSON metadata', metadata[QUANTIZATION_METADATA_KEY]!);
  }
  if (info.format !== QUANTIZATION_FORMAT) fail(`metadata ${QUANTIZATION_METADATA_KEY} of format ${QUANTIZATION_FORMAT}`, String(info.format));
  const int8 = new Set(info.int8 ?? []);
  const out: tf.NamedTensorMap = {};
  for (const [name, entry] of Object.entries(tensors)) {
    if (name.endsWith(SCALE_SUFFIX) || name.endsWith(ZERO_POINT_SUFFIX)) continue;
    if (!int8.has(name)) {
      out[name] = safetensorsToTensor(entry, `file ${path}`);
      continue;
    }
    const scale = tensors[`${name}${SCALE_SUFFIX}`];
    if (entry.dtype !== 'I8' || scale?.dtype !== 'F32') fail(`"${name}" as I8 with F32 "${name}${SCALE_SUFFIX}"`, `${entry.dtype} with ${scale?.dtype ?? 'no scale'}`);
    const zp = tensors[`${name}${ZERO_POINT_SUFFIX}`];
    const zeroPoint = zp?.dtype === 'I8' ? zp.data : new Int8Array(scale!.data.length);
    out[name] = tf.tensor(dequantizeInt8({ q: entry.data as Int8Array, scale: scale!.data as Float32Array, zeroPoint }), [...entry.shape], 'float32');
  }
  return { tensors: out, metadata };
}
