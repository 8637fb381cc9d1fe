// The contract of the fused LSTM kernels: names, inputs, attributes (outputs: lstm-sequence.ts).
// Code that cannot import this package (libs/encoders) dispatches by these names through tfjs's
// kernel registry: change them only together with those callers.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { checkFloat32, need } from '../gru/gru-contract.js';
import type { GruDims } from '../gru/gru-contract.js';

/** Kernel name of the fused LSTM forward pass over a whole sequence. */
export const LSTM_SEQUENCE = 'OmnitrainLstmSequence';
/** Kernel name of its backward pass (backpropagation through time). */
export const LSTM_SEQUENCE_GRAD = 'OmnitrainLstmSequenceGrad';

/** Attributes of both kernels. Gate blocks are i, f, g (cell candidate), o: Keras', tfjs-layers' and PyTorch's order. */
export interface LstmSequenceAttrs {
  /** The i, f, o gates' activation: `sigmoid` (PyTorch) or `hardSigmoid` (tfjs-layers' default). */
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
}

/**
 * Checks the forward inputs (`x` [T, B, 4U] input projections, `h0` and `c0` [B, U], `kernel`
 * [U, 4U], `bias` [4U], `mask` [T, B], all float32) and returns T, B, U; throws a BackendError
 * naming the input otherwise.
 *
 * @example const { T, B, U } = lstmDims({ x, h0, c0, kernel, bias, mask });
 */
export function lstmDims(inputs: Record<string, TensorInfo | undefined>): GruDims {
  const x = need(LSTM_SEQUENCE, inputs, 'x');
  const [T, B, U4] = x.shape as [number, number, number];
  const U = Math.floor((U4 ?? 0) / 4);
  checkFloat32(LSTM_SEQUENCE, inputs, { x: [T, B, 4 * U], h0: [B, U], c0: [B, U], kernel: [U, 4 * U], bias: [4 * U], mask: [T, B] });
  return { T, B, U };
}
