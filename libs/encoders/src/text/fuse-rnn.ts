import {
  add, cast, dropout, engine, expandDims, getBackend, getKernel, matMul, mul, ones, reshape, slice, tidy, transpose, zeros,
} from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';

/**
 * The fused kernels' names in tfjs' kernel registry, registered for wasm by
 * `registerWasmTrainingKernels` of @omnitrain/wasm-kernels (which this lib may not import: the names,
 * inputs, attributes and output layouts below are that package's `GRU_SEQUENCE` / `LSTM_SEQUENCE`
 * contracts, kept in step by hand).
 */
const KERNEL = { gru: 'OmnitrainGruSequence', lstm: 'OmnitrainLstmSequence' } as const;

type RnnLayer = ReturnType<typeof layers.gru> | ReturnType<typeof layers.lstm>;
type Kwargs = { mask?: Tensor | null; training?: boolean; initialState?: Tensor[] | null } | undefined;

/** The parts of tfjs-layers' GRU / LSTM (and cell) the fused path reads; not in its public typings. */
interface RnnInternals {
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  cell: {
    units: number;
    useBias: boolean;
    dropout: number;
    recurrentDropout: number;
    dropoutFunc?: unknown;
    activation: { getClassName(): string };
    recurrentActivation: { getClassName(): string };
    kernel: { read(): Tensor };
    recurrentKernel: { read(): Tensor };
    bias: { read(): Tensor } | null;
  };
}

/**
 * Makes `layer` (tfjs-layers' GRU or LSTM) run its recurrence as one fused kernel per pass when the
 * active backend has `OmnitrainGruSequence` / `OmnitrainLstmSequence` (wasm with
 * @omnitrain/wasm-kernels): the input projections of every step in one product, then the kernel;
 * backpropagation through time is one kernel too. Same weights, names, config and results (within
 * float rounding) as the layer's own step-by-step path, which still runs on other backends and for
 * what the kernels do not cover: initial states, `stateful`, `goBackwards`, `returnState`, recurrent
 * dropout, a custom dropout function, an activation other than tanh or a recurrent activation other
 * than (hard) sigmoid.
 *
 * @param layer a `layers.gru(...)` or `layers.lstm(...)` layer.
 * @param cell which one it is.
 * @returns `layer`, its `call` replaced.
 * @example
 * const gru = fuseRnn(layers.gru({ units: 64 }), 'gru'); // then .apply(x) as usual
 */
export function fuseRnn<L extends RnnLayer>(layer: L, cell: 'gru' | 'lstm'): L {
  const stepwise = layer.call.bind(layer);
  layer.call = (inputs: Tensor | Tensor[], kwargs: Kwargs) =>
    fusedCall(layer as unknown as RnnInternals, cell, inputs, kwargs) ?? stepwise(inputs, kwargs as never);
  return layer;
}

function fusedCall(layer: RnnInternals, kind: 'gru' | 'lstm', inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | null {
  const { cell } = layer;
  const recurrentActivation = cell.recurrentActivation.getClassName();
  const fusable =
    getKernel(KERNEL[kind], getBackend()) !== undefined &&
    (kwargs?.initialState ?? null) === null &&
    !layer.stateful && !layer.goBackwards && !layer.returnState &&
    cell.recurrentDropout === 0 && cell.dropoutFunc == null &&
    cell.activation.getClassName() === 'tanh' &&
    (recurrentActivation === 'sigmoid' || recurrentActivation === 'hardSigmoid');
  if (!fusable) return null;
  return tidy(() => {
    let x = Array.isArray(inputs) ? inputs[0]! : inputs; // [B, T, D]
    const [B, T, D] = x.shape as [number, number, number];
    const U = cell.units;
    const G = kind === 'gru' ? 3 : 4; // gate blocks
    if (kwargs?.training === true && cell.dropout > 0 && cell.dropout < 1) {
      // As the layer's own path: one input dropout mask per sequence, the same at every step.
      x = mul(x, expandDims(dropout(ones([B, D]), cell.dropout), 1));
    }
    let projected = matMul(reshape(transpose(x, [1, 0, 2]), [T * B, D]), cell.kernel.read()); // [T B, G U]
    const bias = cell.useBias && cell.bias !== null ? cell.bias.read() : zeros([G * U]);
    // The GRU's one bias goes with the input projections (tfjs-layers adds it there); the LSTM's is
    // the recurrent bias input (tfjs-layers adds it after both products).
    if (kind === 'gru' && cell.useBias && cell.bias !== null) projected = add(projected, bias);
    const mask = kwargs?.mask == null ? ones([T, B]) : transpose(cast(cast(kwargs.mask, 'bool'), 'float32'), [1, 0]); // [T, B]
    const common = { x: reshape(projected, [T, B, G * U]), h0: zeros([B, U]), kernel: cell.recurrentKernel.read(), mask };
    const [kernelInputs, attrs] =
      kind === 'gru'
        ? [{ ...common, bias: zeros([3 * U]) }, { resetAfter: false, recurrentActivation }]
        : [{ ...common, c0: zeros([B, U]), bias }, { recurrentActivation }];
    // [5 or 7, T, B, U]: every step's hidden state first
    const out = engine().runKernel(KERNEL[kind], kernelInputs as unknown as NamedTensorMap, attrs as unknown as NamedAttrMap) as Tensor;
    const h = reshape(slice(out, [0, 0, 0, 0], [1, T, B, U]), [T, B, U]);
    return layer.returnSequences ? transpose(h, [1, 0, 2]) : reshape(slice(h, [T - 1, 0, 0], [1, B, U]), [B, U]);
  });
}
