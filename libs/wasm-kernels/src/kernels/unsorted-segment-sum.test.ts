import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, compareKernel, randn, rng, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('UnsortedSegmentSum on wasm', () => {
  it('matches the cpu backend over row shapes, segment counts and ids out of range (dropped)', async () => {
    const failures: string[] = [];
    // [rows, row shape, numSegments, ids drawn from [lo, hi)]
    const cases: Array<[number, number[], number, number, number]> = [
      [1, [], 1, 0, 1],
      [7, [], 3, 0, 3],
      [12, [5], 4, 0, 4],
      [20, [3, 2], 30, 0, 30], // most segments empty: an embedding gradient
      [9, [4], 5, -2, 7], // negative and too-large ids are dropped
      [64, [16], 10, 0, 10],
    ];
    for (const [rows, rowShape, numSegments, lo, hi] of cases) {
      const ids = Int32Array.from({ length: rows }, () => rng.int(lo, hi - 1));
      const xShape = [rows, ...rowShape];
      const { error, cpuShape, wasmShape } = await compareKernel(
        'UnsortedSegmentSum',
        { x: { values: randn(xShape), shape: xShape }, segmentIds: { values: ids, shape: [rows] } },
        { numSegments },
      );
      expect(wasmShape).toEqual(cpuShape);
      if (!(error <= 1e-5)) failures.push(`x ${xShape}, ${numSegments} segments: relative error ${error}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
