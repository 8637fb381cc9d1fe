import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, setUpBackends } from '../test/oracle.js';
import { checkConvGradient, convCases, winogradCases } from '../test/conv-cases.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Conv2DBackpropInput on wasm', () => {
  it('matches the cpu backend over strides, paddings, filter sizes, channels, batches and layouts', async () => {
    const failures: string[] = [];
    for (const c of [...convCases({ formats: ['NHWC', 'NCHW'] }), ...winogradCases()]) {
      const failure = await checkConvGradient('Conv2DBackpropInput', c);
      if (failure !== null) failures.push(failure);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
