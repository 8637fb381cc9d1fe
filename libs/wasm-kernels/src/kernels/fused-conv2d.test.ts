import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, onBackend, randn, relativeError, setUpBackends } from '../test/oracle.js';
import { convCases, inputShape, winogradCases } from '../test/conv-cases.js';
import type { ConvCase } from '../test/conv-cases.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** Cases that cross the SIMD kernel's blocks (4 positions x 8 channels, ragged last panel). */
const blockCases: ConvCase[] = [
  { batch: 2, height: 1, width: 19, inChannels: 5, outChannels: 12, filter: [1, 3], strides: 1, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
  { batch: 2, height: 9, width: 10, inChannels: 1, outChannels: 16, filter: [3, 3], strides: 1, dilations: 1, pad: 'valid', dataFormat: 'NHWC' },
  { batch: 1, height: 6, width: 6, inChannels: 2, outChannels: 3, filter: [5, 5], strides: 3, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
];

describe('Conv2D and FusedConv2D on wasm', () => {
  it('match the cpu backend over strides, dilations, paddings, filters, channels, layouts, bias and activations', async () => {
    const failures: string[] = [];
    let i = 0;
    for (const c of [...convCases({ formats: ['NHWC', 'NCHW'], dilations: true }), ...blockCases, ...winogradCases()]) {
      const xShape = inputShape(c);
      const filterShape = [...c.filter, c.inChannels, c.outChannels] as [number, number, number, number];
      const [xv, wv, bv] = [randn(xShape), randn(filterShape), randn([c.outChannels])];
      const dataFormat = c.dataFormat;
      // elu runs the shipped kernel, which has no NCHW.
      const activation = (['linear', 'relu', 'elu'] as const)[i++ % (dataFormat === 'NCHW' ? 2 : 3)];
      const withBias = i % 2 === 0;
      const plain = () => tf.conv2d(tf.tensor4d(xv, xShape), tf.tensor4d(wv, filterShape), c.strides as number, c.pad, dataFormat, c.dilations);
      const fused = () =>
        tf.fused.conv2d({
          x: tf.tensor4d(xv, xShape),
          filter: tf.tensor4d(wv, filterShape),
          strides: c.strides as number,
          pad: c.pad,
          dataFormat,
          dilations: c.dilations,
          bias: withBias ? tf.tensor1d(bv) : undefined,
          activation,
        });
      for (const [name, f] of [['Conv2D', plain], ['FusedConv2D', fused]] as const) {
        const [cpu] = await onBackend('cpu', f);
        const [wasm] = await onBackend('wasm', f);
        const error = relativeError(wasm!.values, cpu!.values);
        const what = `${name} ${JSON.stringify(c)} ${activation} bias ${withBias}`;
        if (`${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`${what}: shape ${wasm!.shape} vs ${cpu!.shape}`);
        else if (!(error <= 1e-5)) failures.push(`${what}: relative error ${error}`);
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
