import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, setUpBackends } from '../test/oracle.js';
import { checkConvGradient, convCases } from '../test/conv-cases.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  it('matches the cpu backend over channel multipliers, strides, dilations, paddings, filter sizes and batches', async () => {
    const failures: string[] = [];
    for (const c of convCases({ dilations: true })) {
      const failure = await checkConvGradient('DepthwiseConv2dNativeBackpropFilter', c);
      if (failure !== null) failures.push(failure);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
