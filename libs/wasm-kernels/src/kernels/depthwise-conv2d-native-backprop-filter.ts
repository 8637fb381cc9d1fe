import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { accumulateDepthwiseTaps } from '../depthwise-taps.js';
import { alloc, f32 } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: {
  inputs: DepthwiseConv2dNativeBackpropFilterInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const xIn = inputs.x as TensorInfo; // [n, h, w, cIn]
  const dyIn = inputs.dy as TensorInfo; // [n, oh, ow, cIn * multiplier]
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    xIn.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { filterHeight: fh, filterWidth: fw, outChannels: cOut } = info;
  // dW[ky, kx, c, q] = sum over b, oy, ox of x[b, iy, ix, c] * dy[b, oy, ox, c * multiplier + q],
  // accumulated in float64: each entry sums n * oh * ow products.
  const acc = new Float64Array(fh * fw * cOut);
  const dW = alloc(backend, filterShape, 'float32', false);
  const x = f32(backend, xIn);
  const dy = f32(backend, dyIn);
  accumulateDepthwiseTaps(info, { data: acc, role: 'filter' }, { data: x, role: 'x' }, { data: dy, role: 'dy' });
  f32(backend, dW).set(acc);
  return dW;
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm, which lacks it (depthwise and separable conv
 * layers): a direct loop over output positions and taps in JS, any channel multiplier, strides,
 * dilations and padding.
 */
export const depthwiseConv2dNativeBackpropFilter: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
