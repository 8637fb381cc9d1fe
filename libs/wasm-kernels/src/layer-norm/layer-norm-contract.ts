// The contract of the fused layer-normalization kernels (names, inputs, attributes). Code that cannot
// import this package dispatches by these names through tfjs's kernel registry: public API.
import { BackendError } from '@omnitrain/core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { checkFloat32 } from '../gru/gru-contract.js';

/** Kernel name of the fused layer norm: inputs `x` [..., D], `gamma` [D], `beta` [D]; output y like x. */
export const LAYER_NORM = 'OmnitrainLayerNorm';
/** Kernel name of its gradient: inputs `x`, `gamma`, `dy`; outputs [dx, dgamma, dbeta]. */
export const LAYER_NORM_GRAD = 'OmnitrainLayerNormGrad';

/** Attributes of both kernels. */
export interface LayerNormAttrs {
  /** Added to the variance before the square root (PyTorch's default 1e-5). */
  epsilon: number;
}

/**
 * Checks `x` (float32, rank >= 1) and that every input named in `others` is float32 [D] or like x;
 * returns rows (the product of the leading axes) and D (the last axis).
 *
 * @example const { rows, d } = layerNormDims('OmnitrainLayerNorm', inputs, ['gamma', 'beta'], []);
 */
export function layerNormDims(op: string, inputs: Record<string, TensorInfo | undefined>, vectors: string[], likeX: string[]): { rows: number; d: number } {
  const x = inputs['x'];
  if (x === undefined || x.shape.length === 0 || x.dtype !== 'float32') {
    throw new BackendError({ op, expected: 'x float32 of rank >= 1', received: x === undefined ? 'none' : `${x.dtype} [${x.shape}]`, where: 'input x' });
  }
  const d = x.shape[x.shape.length - 1]!;
  checkFloat32(op, inputs, Object.fromEntries([...vectors.map((k) => [k, [d]]), ...likeX.map((k) => [k, x.shape])]));
  return { rows: d === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / d, d };
}
