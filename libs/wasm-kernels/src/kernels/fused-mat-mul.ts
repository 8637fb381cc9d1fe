import { _FusedMatMul, util } from '@tensorflow/tfjs-core';
import type { _FusedMatMulAttrs, _FusedMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gemmWasmBase64 } from '../generated/gemm-wasm.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { dispose, runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { matMul } from './batch-mat-mul.js';

interface BiasReluExports {
  biasRelu(out: number, bias: number, rows: number, n: number, relu: boolean): void;
}

/** The shipped unary kernel (and its extra inputs / attrs) for each activation other than relu / linear. */
function activationKernel(
  activation: string,
  attrs: _FusedMatMulAttrs,
  prelu: TensorInfo | undefined,
): { name: string; inputs: Record<string, TensorInfo>; attrs: Record<string, number> } | undefined {
  switch (activation) {
    case 'elu': return { name: 'Elu', inputs: {}, attrs: {} };
    case 'relu6': return { name: 'Relu6', inputs: {}, attrs: {} };
    case 'sigmoid': return { name: 'Sigmoid', inputs: {}, attrs: {} };
    case 'leakyrelu': return { name: 'LeakyRelu', inputs: {}, attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 } };
    case 'prelu': return prelu === undefined ? undefined : { name: 'Prelu', inputs: { alpha: prelu }, attrs: {} };
    default: return undefined;
  }
}

function run(args: { inputs: _FusedMatMulInputs; backend: BackendWasm; attrs: _FusedMatMulAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const { transposeA, transposeB } = attrs;
  const activation = attrs.activation ?? 'linear';
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
  const other = activation === 'linear' || activation === 'relu' ? undefined : activationKernel(activation, attrs, inputs.preluActivationWeights as TensorInfo | undefined);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias !== undefined && bias.dtype !== 'float32') ||
      (other === undefined && activation !== 'linear' && activation !== 'relu')) {
    return runShipped(_FusedMatMul, backend, inputs as never, attrs as never);
  }
  let out = matMul(backend, a, b, transposeA, transposeB);
  const rowBias = bias !== undefined && bias.shape.length <= 1 && util.sizeFromShape(bias.shape) === n;
  const relu = activation === 'relu';
  if (rowBias || relu) {
    const { biasRelu } = simdModule<BiasReluExports>(backend, gemmWasmBase64);
    biasRelu(heapOffset(backend, out), rowBias ? heapOffset(backend, bias) : 0, util.sizeFromShape(out.shape) / n, n, relu && (rowBias || bias === undefined));
  }
  if (bias !== undefined && !rowBias) {
    // A bias of another shape: the shipped broadcasting Add, then the activation.
    const sum = runShipped('Add', backend, { a: out, b: bias });
    dispose(backend, out);
    out = sum;
    if (relu) {
      const r = runShipped('Relu', backend, { x: out });
      dispose(backend, out);
      out = r;
    }
  }
  if (other !== undefined) {
    const y = runShipped(other.name, backend, { x: out, ...other.inputs }, other.attrs);
    dispose(backend, out);
    out = y;
  }
  return out;
}

/**
 * `_FusedMatMul` for wasm (the dense layer's forward product + bias + activation): the SIMD GEMM of
 * `BatchMatMul` and an in-place SIMD bias / relu epilogue, where the shipped kernel runs XNNPACK
 * (which repacks the weights every call: Adam gives them a new tensor each step). Other activations
 * (elu, relu6, sigmoid, leakyrelu, prelu) run the shipped unary kernel on the product: the shipped
 * `_FusedMatMul` gets elu + bias wrong (relative error 0.1-0.4) whenever an operand is transposed or
 * batched.
 */
export const fusedMatMul: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
