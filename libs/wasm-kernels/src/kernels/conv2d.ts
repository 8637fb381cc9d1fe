import { Conv2D } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, Conv2DInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convInLayout, simdConv2d, simdConvInfo } from '../simd-conv.js';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function runConv2D(args: { inputs: Conv2DInputs; backend: BackendWasm; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const info = simdConvInfo(x, filter, attrs);
  if (info === undefined) return runShipped(Conv2D, backend, inputs as never, attrs as never);
  return convInLayout(backend, x, attrs.dataFormat, (xLast) => simdConv2d(backend, xLast, filter, info));
}

/**
 * `Conv2D` for wasm: NHWC float32 convolutions (any stride, dilation, padding) by our WebAssembly SIMD
 * kernels instead of XNNPACK (simd-conv.ts): Winograd F(4,3) along the width for filters 3 wide at width
 * stride 1 (half the products), else the implicit-GEMM kernel of assembly/conv2d.ts, reading the input
 * in place (a zero-padded copy when padded). NCHW (which the shipped kernel rejects) is transposed in
 * and out.
 */
export const conv2d: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: runConv2D as unknown as KernelFunc,
};

