import { compareKernel, randn, tf } from './oracle.js';
import type { HostTensor, Oracle } from './oracle.js';

// The grid of convolution cases the conv kernel tests share: every filter size x stride x padding,
// with batch, size, channels and layout cycling through their values so the grid stays small.
export type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

/** One convolution: input [batch, height, width, inChannels] (NHWC order, whatever `dataFormat`). */
export interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filter: [number, number];
  strides: number | [number, number];
  dilations: number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
}

export interface ConvGridOptions {
  /** Layouts to cover. Default: NHWC only. */
  formats?: Array<'NHWC' | 'NCHW'>;
  /** Also cover dilation 2 (at stride 1). Default: false. */
  dilations?: boolean;
}

/** The shared grid, plus a few larger cases that cross XNNPACK's and the JS loops' block sizes. */
export function convCases(options: ConvGridOptions = {}): ConvCase[] {
  const formats = options.formats ?? ['NHWC'];
  const filters: Array<[number, number]> = [[1, 1], [3, 3], [2, 3]];
  const strides: Array<number | [number, number]> = [1, 2, [2, 1]];
  const sizes: Array<[number, number]> = [[5, 5], [6, 7], [7, 4]];
  const cases: ConvCase[] = [];
  let i = 0;
  for (const filter of filters) {
    for (const stride of strides) {
      for (const padKind of ['valid', 'same', 'explicit'] as const) {
        for (const dataFormat of formats) {
          for (const dilations of options.dilations && stride === 1 ? [1, 2] : [1]) {
            const [height, width] = sizes[i % sizes.length]!;
            const pad: Pad =
              padKind !== 'explicit'
                ? padKind
                : dataFormat === 'NHWC'
                  ? [[0, 0], [1, 2], [0, 1], [0, 0]]
                  : [[0, 0], [0, 0], [1, 2], [0, 1]];
            cases.push({
              batch: 1 + (i % 2),
              height,
              width,
              inChannels: [1, 3, 4][i % 3]!,
              outChannels: [2, 5][i % 2]!,
              filter,
              strides: stride,
              dilations,
              pad,
              dataFormat,
            });
            i++;
          }
        }
      }
    }
  }
  cases.push(
    { batch: 3, height: 12, width: 11, inChannels: 9, outChannels: 17, filter: [3, 3], strides: 1, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
    { batch: 2, height: 13, width: 13, inChannels: 16, outChannels: 8, filter: [3, 3], strides: 2, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
    { batch: 4, height: 1, width: 20, inChannels: 6, outChannels: 10, filter: [1, 5], strides: 1, dilations: 1, pad: 'valid', dataFormat: 'NHWC' },
  );
  return cases;
}

/**
 * Cases the Winograd F(4,3) kernels take (filters 3 wide at width stride 1, filter rows x input channels
 * >= 8, also in the transposed convolution of Conv2DBackpropInput): ragged last tiles (widths not a
 * multiple of 4), channel counts off the SIMD widths, height stride 2, explicit padding, NCHW, 1D
 * filters, and enough images that a pass over them runs in several chunks (the last one partial).
 */
export function winogradCases(): ConvCase[] {
  const base = { dilations: 1, dataFormat: 'NHWC' as const };
  return [
    // ~200 KB of transformed input and products per image: 2 images a pass, then 1
    { ...base, batch: 3, height: 48, width: 62, inChannels: 3, outChannels: 5, filter: [3, 3], strides: 1, pad: 'same' },
    { ...base, batch: 3, height: 3, width: 13, inChannels: 5, outChannels: 11, filter: [3, 3], strides: 1, pad: 'same' },
    { ...base, batch: 2, height: 1, width: 9, inChannels: 16, outChannels: 6, filter: [1, 3], strides: 1, pad: 'valid' },
    { ...base, batch: 2, height: 7, width: 6, inChannels: 3, outChannels: 9, filter: [3, 3], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { ...base, batch: 2, height: 5, width: 10, inChannels: 7, outChannels: 4, filter: [2, 3], strides: 1, pad: 'valid', dataFormat: 'NCHW' },
  ];
}

/** The input shape of `c` in its layout. */
export function inputShape(c: ConvCase): [number, number, number, number] {
  return c.dataFormat === 'NHWC'
    ? [c.batch, c.height, c.width, c.inChannels]
    : [c.batch, c.inChannels, c.height, c.width];
}

/** `c` in words, for failure messages. */
export function describeCase(c: ConvCase): string {
  return JSON.stringify(c);
}

/** The four convolution gradient kernels these tests cover. */
export type ConvGradientKernel =
  | 'Conv2DBackpropFilter'
  | 'Conv2DBackpropInput'
  | 'DepthwiseConv2dNativeBackpropFilter'
  | 'DepthwiseConv2dNativeBackpropInput';

/**
 * Runs gradient kernel `kernel` for case `c` on cpu and wasm with the same random `x` / `filter`
 * and `dy` (depthwise kernels: channel multiplier 1 or 2, by case).
 * Returns a failure message, or null when within 1e-5 relative error.
 */
export async function checkConvGradient(kernel: ConvGradientKernel, c: ConvCase): Promise<string | null> {
  const depthwise = kernel.startsWith('Depthwise');
  const multiplier = c.outChannels === 2 ? 1 : 2;
  const xShape = inputShape(c);
  const filterShape: [number, number, number, number] = [...c.filter, c.inChannels, depthwise ? multiplier : c.outChannels];
  const dataFormat = c.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst';
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, c.strides, c.dilations, c.pad, undefined, depthwise, dataFormat);
  const dy = { values: randn(info.outShape), shape: info.outShape };
  const forFilter = kernel.endsWith('Filter');
  const inputs: Record<string, HostTensor> = forFilter
    ? { x: { values: randn(xShape), shape: xShape }, dy }
    : { dy, filter: { values: randn(filterShape), shape: filterShape } };
  const attrs = {
    strides: c.strides,
    pad: c.pad,
    ...(depthwise ? { dilations: c.dilations } : { dataFormat: c.dataFormat }),
    ...(forFilter ? { filterShape } : { inputShape: xShape }),
  };
  const oracle = c.dilations > 1 ? dilatedOracle(c, inputs, attrs, filterShape) : undefined;
  const { error, cpuShape, wasmShape } = await compareKernel(kernel, inputs, attrs, oracle);
  const what = `${describeCase(c)}${depthwise ? ` multiplier ${multiplier}` : ''}`;
  if (JSON.stringify(cpuShape) !== JSON.stringify(wasmShape)) return `${what}: shape ${wasmShape}, cpu ${cpuShape}`;
  return error <= 1e-5 ? null : `${what}: relative error ${error}`;
}

/**
 * The cpu depthwise gradients ignore dilations, so the oracle of a dilated case is the undilated
 * problem with the filter spread out: taps at multiples of the dilation, zeros between.
 */
function dilatedOracle(
  c: ConvCase,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown>,
  [fh, fw, cIn, m]: [number, number, number, number],
): Oracle {
  const d = c.dilations;
  const spread: [number, number, number, number] = [(fh - 1) * d + 1, (fw - 1) * d + 1, cIn, m];
  const tap = (y: number, x: number) => ((y * d * spread[1] + x * d) * cIn) * m; // offset in spread
  if (inputs['filter'] === undefined) {
    // BackpropFilter: the spread filter's gradient, read at the taps.
    return {
      inputs,
      attrs: { ...attrs, dilations: 1, filterShape: spread },
      expected: (values) => {
        const out = new Float32Array(fh * fw * cIn * m);
        for (let y = 0; y < fh; y++) {
          for (let x = 0; x < fw; x++) {
            out.set(values.subarray(tap(y, x), tap(y, x) + cIn * m), (y * fw + x) * cIn * m);
          }
        }
        return { values: out, shape: [fh, fw, cIn, m] };
      },
    };
  }
  const filter = new Float32Array(spread.reduce((a, b) => a * b, 1));
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      filter.set(inputs['filter'].values.subarray((y * fw + x) * cIn * m, (y * fw + x + 1) * cIn * m), tap(y, x));
    }
  }
  return {
    inputs: { ...inputs, filter: { values: filter, shape: spread } },
    attrs: { ...attrs, dilations: 1 },
    expected: (values, shape) => ({ values, shape }),
  };
}
