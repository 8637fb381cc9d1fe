import { engine, op, reshape, slice } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorMap, Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { requireKernel } from '../require-kernel.js';
import { LSTM_SEQUENCE } from './lstm-contract.js';
import type { LstmSequenceAttrs } from './lstm-contract.js';

/** The inputs of {@link fusedLstmSequence}. */
export interface FusedLstmInputs {
  /** [T, B, 4U] input projections of every step (x W_x + b_x), gate blocks i, f, g, o. */
  x: Tensor3D;
  /** [B, U] initial hidden state. */
  h0: Tensor2D;
  /** [B, U] initial cell state. */
  c0: Tensor2D;
  /** [U, 4U] recurrent weights. */
  kernel: Tensor2D;
  /** [4U] recurrent bias. */
  bias: Tensor1D;
  /** [T, B] 1 for real steps, 0 for padding (both states pass through). */
  mask: Tensor2D;
}

/** {@link fusedLstmSequence} before tfjs' op wrapper. */
function fusedLstmSequence_(inputs: FusedLstmInputs, attrs: LstmSequenceAttrs): Tensor3D {
  requireKernel('fusedLstmSequence', LSTM_SEQUENCE, 'the LSTM as separate ops');
  const [T, B, U4] = inputs.x.shape;
  const U = U4 / 4;
  const out = engine().runKernel(LSTM_SEQUENCE, inputs as unknown as NamedTensorMap, attrs as unknown as NamedAttrMap) as Tensor; // [7, T, B, U]
  return reshape(slice(out, [0, 0, 0, 0], [1, T, B, U]), [T, B, U]) as Tensor3D;
}

/**
 * An LSTM layer's recurrence over a whole sequence as one differentiable op: the hidden states of
 * every step [T, B, U], by the fused `OmnitrainLstmSequence` kernel and its one-call backward.
 * Throws a BackendError when the active backend has no such kernel (register it with
 * registerWasmTrainingKernels on wasm).
 *
 * @param inputs see {@link FusedLstmInputs}.
 * @param attrs `recurrentActivation` of the i, f, o gates: sigmoid or hardSigmoid.
 * @example
 * const h = fusedLstmSequence({ x, h0, c0, kernel, bias, mask }, { recurrentActivation: 'sigmoid' }); // [T, B, U]
 */
export const fusedLstmSequence = op({ fusedLstmSequence_ });
