import { backend_util, DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { accumulateDepthwiseTaps } from '../depthwise-taps.js';
import { alloc, f32 } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: {
  inputs: DepthwiseConv2dNativeBackpropInputInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dyIn = inputs.dy as TensorInfo; // [n, oh, ow, cIn * multiplier]
  const filter = inputs.filter as TensorInfo; // [fh, fw, cIn, multiplier]
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  // Each dy[b, oy, ox, c * multiplier + q] flows back to x[b, iy, ix, c] of every tap in its window.
  const dx = alloc(backend, inputShape, 'float32', true); // [n, h, w, cIn]
  accumulateDepthwiseTaps(
    info,
    { data: f32(backend, dx), role: 'x' },
    { data: f32(backend, dyIn), role: 'dy' },
    { data: f32(backend, filter), role: 'filter' },
  );
  return dx;
}

/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm, which lacks it (depthwise and separable conv
 * layers): a direct scatter loop over output positions and taps in JS, any channel multiplier, strides,
 * dilations and padding.
 */
export const depthwiseConv2dNativeBackpropInput: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
