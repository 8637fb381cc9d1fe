import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, compareKernel, randn, randu, setUpBackends } from '../test/oracle.js';
import type { HostTensor } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('Einsum on wasm', () => {
  it('matches the cpu backend on products, contractions, batches, transposes and reductions', async () => {
    const failures: string[] = [];
    const sizes: Record<string, number> = { a: 2, b: 3, h: 2, i: 5, j: 4, k: 6, l: 3, q: 7, d: 4 };
    const equations = [
      'ij,jk->ik',
      'ij,jk->ki',
      'bij,bjk->bik',
      'bhqd,bhkd->bhqk', // attention scores
      'bhqk,bhkd->bqhd',
      'ijk,ikl->jl',
      'abj,jk->abk', // dense on a 3-D input
      'i,i->',
      'i,j->ij',
      'ij,ij->ij',
      'ij,ij->i',
      'ij->ji',
      'ij->i',
      'ij->',
      'ijk->kij',
      'ij->ij',
    ];
    for (const equation of equations) {
      const [ins] = equation.split('->') as [string];
      const inputs = ins.split(',').map((term) => {
        const shape = [...term].map((l) => sizes[l]!);
        // Positive values: scalar results ('i,i->') must not cancel to near zero.
        return { values: randu(shape, 0.5, 1.5), shape };
      });
      const { error, cpuShape, wasmShape } = await compareKernel('Einsum', inputs, { equation });
      if (JSON.stringify(wasmShape) !== JSON.stringify(cpuShape)) failures.push(`${equation}: shape ${wasmShape}, cpu ${cpuShape}`);
      else if (!(error <= 1e-5)) failures.push(`${equation}: relative error ${error}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it("sums labels of both operands away ('ij,kj->'; the cpu backend gets its shape wrong, so it computes 'ij,kj->ik' and the test sums)", async () => {
    const inputs = [
      { values: randn([5, 4]), shape: [5, 4] },
      { values: randn([6, 4]), shape: [6, 4] },
    ];
    const { error, wasmShape } = await compareKernel('Einsum', inputs, { equation: 'ij,kj->' }, {
      inputs: inputs as unknown as Record<string, HostTensor>,
      attrs: { equation: 'ij,kj->ik' },
      expected: (values) => ({ values: Float32Array.of(values.reduce((a, b) => a + b, 0)), shape: [] }),
    });
    expect(wasmShape).toEqual([]);
    expect(error, `seed ${SEED}`).toBeLessThanOrEqual(1e-5);
  });
});
