// The model and data of the sharded-optimizer tests: a 3-layer MLP with unequal variable sizes (so
// the balanced split is not one variable per rank) and seeded global batches that N ranks split into
// contiguous, nearly equal parts. Shared by the in-memory test and the real-process job.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchSource, TrainableModel } from '@omnitrain/engine';

export const SHAPES: Record<string, number[]> = { 'l1/kernel': [6, 10], 'l1/bias': [10], 'l2/kernel': [10, 7], 'l2/bias': [7], 'out/kernel': [7, 3], 'out/bias': [3] };
export const GLOBAL_BATCH = 12;
let uid = 0;

/** The MLP with weights drawn from `seed`. */
export function makeModel(seed: number): TrainableModel {
  const v = Object.fromEntries(Object.entries(SHAPES).map(([name, shape], i) => [name, tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', seed + i), true, `${name}-${uid++}`)]));
  const dense = (x: tf.Tensor, l: string) => tf.add(tf.matMul(x, v[`${l}/kernel`]!), v[`${l}/bias`]!);
  return {
    name: 'mlp3',
    variables: v,
    numClasses: 3,
    forward: (b) => dense(tf.tanh(dense(tf.relu(dense(b.inputs['x']!, 'l1')), 'l2')), 'out') as tf.Tensor2D,
    getConfig: () => ({ name: 'mlp3' }),
    dispose: () => tf.dispose(Object.values(v)),
  };
}

/** Rank `rank` of `worldSize`'s part of each of `steps` global batches, resumable by position, reshardable. */
export function shardSource(seed: number, steps: number, rank: number, worldSize: number): BatchSource {
  let start = 0;
  let place = { rank, worldSize };
  const state = (position: number) => ({ epoch: 0, position, seed, size: steps * GLOBAL_BATCH });
  return {
    batchesPerEpoch: () => steps,
    getState: () => state(start * GLOBAL_BATCH),
    setState: (s) => void (start = s.position / GLOBAL_BATCH),
    reshard: (r, w) => void (place = { rank: r, worldSize: w }),
    async *epoch() {
      for (let i = start; i < steps; i++) {
        const { rank: r, worldSize: w } = place;
        const [from, to] = [Math.floor((r * GLOBAL_BATCH) / w), Math.floor(((r + 1) * GLOBAL_BATCH) / w)];
        const x = tf.randomNormal([GLOBAL_BATCH, 6], 0, 1, 'float32', seed * 7 + i);
        const y = tf.randomUniform([GLOBAL_BATCH], 0, 3, 'int32', seed * 11 + i);
        const inputs = { x: tf.slice(x, [from, 0], [to - from, 6]) };
        const labels = tf.slice(y, [from], [to - from]) as tf.Tensor1D;
        tf.dispose([x, y]);
        yield { inputs, labels, size: to - from, epoch: 0, weight: (to - from) / GLOBAL_BATCH, resumeState: state((i + 1) * GLOBAL_BATCH) };
      }
    },
  };
}
