import { FusedConv2D, util } from '@tensorflow/tfjs-core';
import type { FusedConv2DAttrs, FusedConv2DInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convInLayout, simdConv2d, simdConvInfo } from '../simd-conv.js';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

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
  return convInLayout(backend, x, attrs.dataFormat, (xLast) => simdConv2d(backend, xLast, filter, info, { bias, relu: activation === 'relu' }));
}

/**
 * `FusedConv2D` for wasm (a conv layer's forward pass: convolution + bias + linear / relu) by the SIMD
 * convolution of `Conv2D` (./conv2d.ts) with the bias / relu epilogue (fused into the Winograd output
 * transform, else in place after it); other activations, prelu
 * weights and broadcast biases go to the shipped kernel.
 */
export const fusedConv2d: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  kernelFunc: runFused as unknown as KernelFunc,
};
