// The contract of the fused GRU kernels: names, inputs, attributes (outputs: gru-sequence.ts). Code that cannot import
// this package (libs/encoders) dispatches by these names through tfjs's kernel registry, so the
// strings and layouts here are public API: change them only together with those callers.
import { BackendError } from '@omnitrain/core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** Kernel name of the fused GRU forward pass over a whole sequence. */
export const GRU_SEQUENCE = 'OmnitrainGruSequence';
/** Kernel name of its backward pass (backpropagation through time). */
export const GRU_SEQUENCE_GRAD = 'OmnitrainGruSequenceGrad';

/** Attributes of both kernels. */
export interface GruSequenceAttrs {
  /**
   * true: PyTorch's `nn.GRU` (gate blocks r, z, n; `n = tanh(x_n + r * (h W_n + b_n))`);
   * false: Keras / tfjs-layers' GRU (gate blocks z, r, h; `n = tanh(x_n + (r * h) W_n + b_n)`).
   */
  resetAfter: boolean;
  /** The gates' activation: `sigmoid` (PyTorch) or `hardSigmoid` (tfjs-layers' default). */
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
}

/** The dimensions of one fused GRU problem. */
export interface GruDims {
  /** Time steps. */
  T: number;
  /** Rows (batch). */
  B: number;
  /** Units. */
  U: number;
}

/**
 * Checks the forward inputs (`x` [T, B, 3U] input projections, `h0` [B, U], `kernel` [U, 3U],
 * `bias` [3U], `mask` [T, B], all float32) and returns T, B, U; throws a BackendError naming the
 * input otherwise.
 *
 * @example const { T, B, U } = gruDims({ x, h0, kernel, bias, mask });
 */
export function gruDims(inputs: Record<string, TensorInfo | undefined>): GruDims {
  const x = need(GRU_SEQUENCE, inputs, 'x');
  if (x.shape.length !== 3 || x.shape[2]! % 3 !== 0) bad(GRU_SEQUENCE, 'x', '[T, B, 3U]', x);
  const [T, B, U3] = x.shape as [number, number, number];
  const U = U3 / 3;
  checkFloat32(GRU_SEQUENCE, inputs, { x: [T, B, 3 * U], h0: [B, U], kernel: [U, 3 * U], bias: [3 * U], mask: [T, B] });
  return { T, B, U };
}

/**
 * Checks that each input named in `shapes` is float32 with that shape; throws a BackendError naming
 * the kernel (`op`) and the input otherwise.
 *
 * @example checkFloat32('OmnitrainGruSequence', inputs, { h0: [B, U] });
 */
export function checkFloat32(op: string, inputs: Record<string, TensorInfo | undefined>, shapes: Record<string, number[]>): void {
  for (const [name, shape] of Object.entries(shapes)) {
    const t = need(op, inputs, name);
    if (`${t.shape}` !== `${shape}` || t.dtype !== 'float32') bad(op, name, `float32 [${shape}]`, t);
  }
}

/** The input `name` of kernel `op`, or a BackendError. */
export function need(op: string, inputs: Record<string, TensorInfo | undefined>, name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new BackendError({ op, expected: `an input "${name}"`, received: 'none', hint: `inputs: ${Object.keys(inputs).join(', ')}` });
  return t;
}

function bad(op: string, name: string, expected: string, t: TensorInfo): never {
  throw new BackendError({ op, expected: `${name} ${expected}`, received: `${t.dtype} [${t.shape}]`, where: `input ${name}` });
}
