import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, setUpBackends, tf } from '../test/oracle.js';
import { checkConvGradient, convCases, winogradCases } from '../test/conv-cases.js';
import type { ConvCase } from '../test/conv-cases.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** The wasm backend's heap (its emscripten module's HEAPU8 buffer, replaced when the heap grows). */
const heapBuffer = (): ArrayBuffer => ((tf.backend() as BackendWasm).wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;

/** Shapes that cross the SIMD kernel's register blocks (4 filter rows x 8 / 4 / 1 output channels). */
const blockCases: ConvCase[] = [
  { batch: 2, height: 1, width: 19, inChannels: 5, outChannels: 12, filter: [1, 3], strides: 1, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
  { batch: 2, height: 1, width: 16, inChannels: 8, outChannels: 32, filter: [1, 3], strides: 2, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
  { batch: 3, height: 9, width: 10, inChannels: 1, outChannels: 16, filter: [3, 3], strides: 1, dilations: 1, pad: 'valid', dataFormat: 'NHWC' },
  { batch: 2, height: 8, width: 8, inChannels: 3, outChannels: 7, filter: [3, 2], strides: [1, 2], dilations: 1, pad: 'same', dataFormat: 'NCHW' },
  { batch: 1, height: 6, width: 6, inChannels: 2, outChannels: 3, filter: [5, 5], strides: 3, dilations: 1, pad: 'same', dataFormat: 'NHWC' },
];

describe('Conv2DBackpropFilter on wasm', () => {
  it('matches the cpu backend over strides, paddings, filter sizes, channels, batches and layouts', async () => {
    const failures: string[] = [];
    for (const c of [...convCases({ formats: ['NHWC', 'NCHW'] }), ...blockCases, ...winogradCases()]) {
      const failure = await checkConvGradient('Conv2DBackpropFilter', c);
      if (failure !== null) failures.push(failure);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('still matches after the wasm heap grows under the SIMD module', async () => {
    const c = blockCases[0]!;
    expect(await checkConvGradient('Conv2DBackpropFilter', c), `seed ${SEED}`).toBeNull();
    await tf.setBackend('wasm');
    const memory = heapBuffer();
    const grow = tf.zeros([memory.byteLength / 4 + 1]); // more than the whole heap: it must grow
    expect(heapBuffer().byteLength).toBeGreaterThan(memory.byteLength);
    const failure = await checkConvGradient('Conv2DBackpropFilter', c);
    grow.dispose();
    expect(failure, `seed ${SEED}`).toBeNull();
  });
});
