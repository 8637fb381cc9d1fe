import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import { SEED, compareKernel, randn, setUpBackends, tf } from '../test/oracle.js';
import type { HostTensor, Oracle } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('BatchMatMul on wasm', () => {
  it('matches the cpu backend with transposed operands, batches and broadcast batches', async () => {
    const failures: string[] = [];
    // a, b as stored (before the transposes): [m, k] x [k, n] and batched variants.
    const pairs: Array<[number[], number[]]> = [
      [[5, 7], [7, 3]], // ragged sizes: the 4x4 blocks' edges
      [[16, 9], [9, 12]],
      [[1, 6], [6, 1]],
      [[2, 8], [8, 20]], // few rows, wide b: with transposeB computed as (b a^T)^T
      [[3, 5, 7], [3, 7, 6]], // batched (attention)
      [[2, 3, 4, 5], [2, 3, 5, 4]], // two batch axes (heads)
      [[4, 6, 5], [5, 8]], // batched a, shared b: one tall product
      [[6, 5], [3, 5, 4]], // shared a, batched b
      [[4, 6, 5], [1, 5, 8]], // broadcast batch axis
      [[2, 1, 5, 6], [1, 3, 6, 2]], // both operands broadcast
      // The SIMD GEMM's blocks: 4 x 8 register tiles, 8-column panels (ragged last), KC = 256, MC = 64.
      [[13, 37], [37, 21]],
      [[70, 9], [9, 16]],
      [[6, 300], [300, 10]],
      [[3, 9, 17], [3, 17, 11]],
      [[2, 4, 33], [2, 33, 8]],
    ];
    for (const [aStored, bStored] of pairs) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s.at(-1)!, s.at(-2)!] : s);
          const aShape = swap(aStored, transposeA);
          const bShape = swap(bStored, transposeB);
          const inputs = { a: { values: randn(aShape), shape: aShape }, b: { values: randn(bShape), shape: bShape } };
          const attrs = { transposeA, transposeB };
          const { error, cpuShape, wasmShape } = await compareKernel('BatchMatMul', inputs, attrs, broadcastOracle(inputs, attrs));
          const what = `a ${aShape} b ${bShape} transposeA ${transposeA} transposeB ${transposeB}`;
          if (JSON.stringify(wasmShape) !== JSON.stringify(cpuShape)) failures.push(`${what}: shape ${wasmShape}, cpu ${cpuShape}`);
          else if (!(error <= 1e-5)) failures.push(`${what}: relative error ${error}`);
        }
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});

/**
 * The cpu BatchMatMul mis-sizes its output when both operands broadcast (30 values for [2, 3, 5, 2]),
 * so then the oracle is the cpu product of both operands broadcast up front.
 */
function broadcastOracle(inputs: Record<string, HostTensor>, attrs: Record<string, unknown>): Oracle | undefined {
  const batchShapes = Object.values(inputs).map((t) => t.shape.slice(0, -2));
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(batchShapes[0]!, batchShapes[1]!);
  const broadcasting = batchShapes.filter((s) => s.length !== batch.length || s.some((d, i) => d !== batch[i]));
  if (broadcasting.length < 2) return undefined;
  const full = (t: HostTensor): HostTensor => {
    const shape = [...batch, ...t.shape.slice(-2)];
    return { values: tf.tidy(() => tf.broadcastTo(tf.tensor(t.values, t.shape), shape).dataSync() as Float32Array), shape };
  };
  return {
    inputs: Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, full(t)])),
    attrs,
    expected: (values, shape) => ({ values, shape }),
  };
}
