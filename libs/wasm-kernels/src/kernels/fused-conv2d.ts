import { FusedConv2D, util } from '@tensorflow/tfjs-core';
import type { FusedConv2DAttrs, FusedConv2DInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gemmWasmBase64 } from '../generated/gemm-wasm.js';
import { convInLayout, simdConv2d, simdConvInfo } from '../simd-conv.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

interface BiasReluExports {
  biasRelu(out: number, bias: number, rows: number, n: number, relu: boolean): void;
}

function runFused(args: { inputs: FusedConv2DInputs; backend: BackendWasm; attrs: FusedConv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const activation = attrs.activation ?? 'linear';
  const cOut = filter.shape[3]!;
  const info = simdConvInfo(x, filter, attrs);
  const rowBias = bias === undefined || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === cOut && bias.shape.length <= 1);
  if (info === undefined || !rowBias || (activation !== 'linear' && activation !== 'relu')) {
    return runShipped(FusedConv2D, backend, inputs as never, attrs as never);
  }
  return convInLayout(backend, x, attrs.dataFormat, (xLast) => {
    const out = simdConv2d(backend, xLast, filter, info);
    if (bias !== undefined || activation === 'relu') {
      const { biasRelu } = simdModule<BiasReluExports>(backend, gemmWasmBase64);
      biasRelu(heapOffset(backend, out), bias === undefined ? 0 : heapOffset(backend, bias), util.sizeFromShape(out.shape) / cOut, cOut, activation === 'relu');
    }
    return out;
  });
}

/**
 * `FusedConv2D` for wasm (a conv layer's forward pass: convolution + bias + linear / relu) by the SIMD
 * convolution of `Conv2D` (./conv2d.ts) and the in-place SIMD bias / relu epilogue; other activations, prelu
 * weights and broadcast biases go to the shipped kernel.
 */
export const fusedConv2d: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  kernelFunc: runFused as unknown as KernelFunc,
};
