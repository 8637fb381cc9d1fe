import { engine, op, reshape, slice } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorMap, Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { requireKernel } from '../require-kernel.js';
import { GRU_SEQUENCE } from './gru-contract.js';
import type { GruSequenceAttrs } from './gru-contract.js';

/** The inputs of {@link fusedGruSequence}. */
export interface FusedGruInputs {
  /** [T, B, 3U] input projections of every step (x W_x + b_x), gate blocks in the variant's order. */
  x: Tensor3D;
  /** [B, U] initial state. */
  h0: Tensor2D;
  /** [U, 3U] recurrent weights. */
  kernel: Tensor2D;
  /** [3U] recurrent bias. */
  bias: Tensor1D;
  /** [T, B] 1 for real steps, 0 for padding (the state passes through). */
  mask: Tensor2D;
}

/** {@link fusedGruSequence} before tfjs' op wrapper. */
function fusedGruSequence_(inputs: FusedGruInputs, attrs: GruSequenceAttrs): Tensor3D {
  requireKernel('fusedGruSequence', GRU_SEQUENCE, 'the GRU as separate ops');
  const [T, B, U3] = inputs.x.shape;
  const U = U3 / 3;
  const out = engine().runKernel(GRU_SEQUENCE, inputs as unknown as NamedTensorMap, attrs as unknown as NamedAttrMap) as Tensor; // [5, T, B, U]
  const h = reshape(slice(out, [0, 0, 0, 0], [1, T, B, U]), [T, B, U]) as Tensor3D;
  return h;
}

/**
 * A GRU layer's recurrence over a whole sequence as one differentiable op: the states of every step
 * [T, B, U], by the fused `OmnitrainGruSequence` kernel and its one-call backward. Throws a
 * BackendError when the active backend has no such kernel (register it with
 * registerWasmTrainingKernels on wasm; other backends run the GRU as separate tfjs ops).
 *
 * @param inputs see {@link FusedGruInputs}.
 * @param attrs `resetAfter` true for PyTorch's gate layout (r, z, n), false for Keras' (z, r, h);
 *   `recurrentActivation` sigmoid or hardSigmoid.
 * @example
 * const h = fusedGruSequence({ x, h0, kernel, bias, mask }, { resetAfter: true, recurrentActivation: 'sigmoid' });
 * const last = h.slice([T - 1], [1]).reshape([B, U]);
 */
export const fusedGruSequence = op({ fusedGruSequence_ }); // a tfjs op: its intermediates are freed
