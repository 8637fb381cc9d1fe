import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import { SEED, below, onBackend, randn, relativeError, setUpBackends } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

describe('GatherV2 on wasm', () => {
  it('matches the cpu backend over axes, index ranks and batchDims, float32 and int32', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 30; trial++) {
      const rank = 1 + (trial % 4);
      const shape = Array.from({ length: rank }, () => 1 + below(6));
      const batchDims = rank > 1 && trial % 5 === 0 ? 1 : 0;
      const axis = batchDims + below(rank - batchDims);
      const idxShape = batchDims ? [shape[0]!, 1 + below(4)] : Array.from({ length: 1 + below(2) }, () => 1 + below(5));
      const idx = Int32Array.from({ length: idxShape.reduce((a, b) => a * b, 1) }, () => below(shape[axis]!));
      const values = randn(shape);
      const ints = trial % 3 === 0;
      const f = () =>
        tf.gather(ints ? tf.tensor(values.map((v) => Math.round(v * 100)), shape, 'int32') : tf.tensor(values, shape), tf.tensor(idx, idxShape, 'int32'), axis, batchDims);
      const [cpu] = await onBackend('cpu', f);
      const [wasm] = await onBackend('wasm', f);
      const error = relativeError(wasm!.values, cpu!.values);
      if (!(error === 0) || `${wasm!.shape}` !== `${cpu!.shape}`) failures.push(`x ${shape} indices ${idxShape} axis ${axis} batchDims ${batchDims}: error ${error}, shape ${wasm!.shape} vs ${cpu!.shape}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
  it('rejects an index out of range, naming it', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.gather(tf.ones([4, 2]), tf.tensor([1, 4], [2], 'int32'))).toThrow(/index value 4 is not in \[0, 3\]/);
  });
});
