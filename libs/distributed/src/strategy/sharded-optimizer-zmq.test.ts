import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, disposeCheckpoint, loadCheckpoint, modelCheckpoint } from '@omnitrain/engine';
import { launchLocal } from '@omnitrain/distributed';
import { TS_NODE_ARGS } from '../../test-fixtures/worker-group.js';
import { SHAPES, makeModel, shardSource } from '../../test-fixtures/sharded-job-model.js';

beforeAll(() => tf.setBackend('cpu'));

const JOB = fileURLToPath(new URL('../../test-fixtures/sharded-train-job.ts', import.meta.url));
const OPTIMS = [
  { name: 'adam', lr: 0.05, weightDecay: 0.01 },
  { name: 'sgd', lr: 0.1, momentum: 0.9 },
];

describe('the sharded optimizer over ZeroMQ (2 real worker processes)', () => {
  it('Adam and SGD-momentum: the chief checkpoints the whole optimizer state, and the run resumed from it equals one process on the global batch', async () => {
    const seed = 1 + Math.floor(Math.random() * 1e6);
    const [steps, at] = [6, 2 + Math.floor(Math.random() * 3)];
    const dir = await mkdtemp(join(tmpdir(), 'zero1-zmq-'));
    try {
      await launchLocal({
        nproc: 2, command: process.execPath, args: [...TS_NODE_ARGS, JOB], maxRestarts: 0, signal: AbortSignal.timeout(90_000),
        env: { JOB_DIR: dir, SEED: String(seed), STEPS: String(steps), AT: String(at), OPTIMS: JSON.stringify(OPTIMS) },
      });
      for (const [i, optim] of OPTIMS.entries()) {
        // The oracle: one process, the whole global batch, a checkpoint at the same step.
        const model = makeModel(seed);
        const oracle = new Trainer({
          model, optimizer: createOptimizer(model.variables, optim), train: shardSource(seed, steps, 0, 1), epochs: 1, evalEvery: 0, seed,
          callbacks: [modelCheckpoint({ dir: join(dir, `oracle-${i}`), everySteps: at, everyEpochs: 0, keepLast: 10 })],
        });
        await oracle.fit();
        const name = (await readdir(join(dir, String(i), 'checkpoints'))).filter((f) => f.endsWith('.safetensors')).sort()[0]!;
        const [got, want] = await Promise.all([loadCheckpoint(join(dir, String(i), 'checkpoints', name)), loadCheckpoint(join(dir, `oracle-${i}`, name))]);
        expect(got.step).toBe(at);
        expect(Object.keys(got.optimizerTensors).sort(), optim.name).toEqual(Object.keys(want.optimizerTensors).sort());
        for (const [k, t] of Object.entries(want.optimizerTensors)) {
          const a = got.optimizerTensors[k]!.dataSync();
          t.dataSync().forEach((v, j) => expect(Math.abs(a[j]! - v), `${optim.name} ${k}`).toBeLessThan(1e-5));
        }
        [got, want].forEach(disposeCheckpoint);
        const ranks = await Promise.all([0, 1].map(async (r) => JSON.parse(await readFile(join(dir, String(i), `rank-${r}.json`), 'utf8')) as { weights: Record<string, number[]>; slots: string[]; step: number }));
        for (const k of Object.keys(SHAPES)) {
          expect(ranks[1]!.weights[k]).toEqual(ranks[0]!.weights[k]); // identical replicas, bit for bit
          const w = model.variables[k]!.dataSync();
          ranks[0]!.weights[k]!.forEach((v, j) => expect(Math.abs(v - w[j]!), `${optim.name} ${k}`).toBeLessThan(2e-5));
        }
        expect(ranks.map((r) => r.step)).toEqual([steps, steps]);
        // Each rank ends holding only its share of the optimizer slots, unless the last step was checkpointed
        // (the checkpoint's barrier made the state whole on every rank; the next step would shard it again).
        const state = oracle.optimizer.exportState();
        const all = Object.keys(state.tensors).sort();
        if (steps % at === 0) for (const r of ranks) expect(r.slots.sort()).toEqual(all);
        else expect([...ranks[0]!.slots, ...ranks[1]!.slots].sort()).toEqual(all);
        tf.dispose(state.tensors);
        model.dispose();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
