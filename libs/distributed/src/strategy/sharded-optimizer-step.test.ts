import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '@omnitrain/optim';
import type { OptimizerState } from '@omnitrain/optim';
import { Trainer, loadCheckpoint, disposeCheckpoint, modelCheckpoint, resumeTrainer } from '@omnitrain/engine';
import type { Strategy, TrainableModel } from '@omnitrain/engine';
import { DistributedError } from '@omnitrain/core';
import { InMemoryCollective, dataParallelStrategy } from '@omnitrain/distributed';
import { SHAPES, makeModel, shardSource as source } from '../../test-fixtures/sharded-job-model.js';

beforeAll(() => tf.setBackend('cpu'));

const OPTIMIZERS = [
  { name: 'adam', lr: 0.05, weightDecay: 0.01 },
  { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
] as const;

interface Run {
  trainers: Trainer[];
  weights: Array<Record<string, Float32Array>>;
  states: OptimizerState[];
}

/**
 * Trains `worldSize` in-memory ranks (1 = the single-process oracle on the whole global batch).
 * Rank 1 and up start from other weights: setup must copy rank 0's.
 */
async function train(o: { worldSize: number; seed: number; steps: number; optim: (typeof OPTIMIZERS)[number]; shard?: boolean; dir?: string; everySteps?: number; maxSteps?: number; resume?: boolean }): Promise<Run> {
  const group = o.worldSize === 1 ? [undefined] : InMemoryCollective.group(o.worldSize);
  const trainers = group.map((c, rank) => {
    const model = makeModel(o.seed + rank * 100);
    const strategy: Strategy | undefined = c && dataParallelStrategy(c, { shardOptimizer: o.shard ?? true, checkEvery: 2 });
    return new Trainer({
      model, strategy, epochs: 1, evalEvery: 0, seed: o.seed,
      maxSteps: o.maxSteps ?? o.steps,
      train: source(o.seed, o.steps, rank, o.worldSize),
      optimizer: createOptimizer(model.variables, { ...o.optim }),
      callbacks: o.dir ? [modelCheckpoint({ dir: o.dir, everySteps: o.everySteps, everyEpochs: 0, keepLast: 20 })] : [],
    });
  });
  if (o.resume) for (const t of trainers) await resumeTrainer(t, o.dir!);
  await Promise.all(trainers.map((t) => t.fit()));
  const weights = await Promise.all(trainers.map(async (t) => Object.fromEntries(await Promise.all(Object.entries(t.model.variables).map(async ([n, v]) => [n, (await v.data()) as Float32Array] as const)))));
  return { trainers, weights, states: trainers.map((t) => t.optimizer.exportState()) };
}

function dispose(...runs: Run[]): void {
  for (const r of runs) {
    r.trainers.forEach((t) => t.model.dispose());
    r.states.forEach((s) => tf.dispose(s.tensors));
  }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

describe('dataParallelStrategy with shardOptimizer (ZeRO-1)', () => {
  it.each(OPTIMIZERS.flatMap((optim) => [2, 3].map((worldSize) => ({ optim, worldSize }))))(
    '$worldSize ranks, $optim.name: equal to one process on the global batch; each rank keeps only its share of the optimizer state',
    async ({ optim, worldSize }) => {
      const seed = 1 + Math.floor(Math.random() * 1e6);
      const steps = 6;
      const one = await train({ worldSize: 1, seed, steps, optim });
      const many = await train({ worldSize, seed, steps, optim });
      const start = makeModel(seed);
      for (const name of Object.keys(SHAPES)) {
        for (const w of many.weights) expect(Array.from(w[name]!)).toEqual(Array.from(many.weights[0]![name]!)); // identical replicas
        expect(maxDiff(many.weights[0]![name]!, one.weights[0]![name]!), name).toBeLessThan(2e-5);
        expect(maxDiff(many.weights[0]![name]!, (await start.variables[name]!.data()) as Float32Array)).toBeGreaterThan(1e-3); // it trained
      }
      start.dispose();
      // The state is split: disjoint slot sets whose union is the single process's, every rank the same iteration count.
      const keys = many.states.map((s) => Object.keys(s.tensors).sort());
      expect(keys.flat().sort()).toEqual(Object.keys(one.states[0]!.tensors).sort());
      for (const k of keys) expect(k.length).toBeLessThan(Object.keys(one.states[0]!.tensors).length);
      expect(new Set(keys.flat()).size).toBe(keys.flat().length);
      for (const s of many.states) expect(s.meta.iterations).toBe(steps);
      expect(Object.assign({}, ...many.states.map((s) => s.meta.steps))).toEqual(one.states[0]!.meta.steps);
      dispose(one, many);
    },
  );

  it.each(OPTIMIZERS)('checkpoints hold the whole optimizer state, and a resumed sharded run equals an uninterrupted one ($name)', async (optim) => {
    const seed = 1 + Math.floor(Math.random() * 1e6);
    const [steps, at] = [7, 3 + Math.floor(Math.random() * 3)];
    const [dirOne, dirMany] = await Promise.all([mkdtemp(join(tmpdir(), 'zero1-one-')), mkdtemp(join(tmpdir(), 'zero1-many-'))]);
    try {
      const one = await train({ worldSize: 1, seed, steps, optim, dir: dirOne, everySteps: at });
      const first = await train({ worldSize: 2, seed, steps, optim, dir: dirMany, everySteps: at, maxSteps: at });
      // The checkpoint the chief wrote mid-run has every slot, equal to the single process's at that step.
      const file = (await readdir(dirMany)).filter((f) => f.endsWith('.safetensors'));
      expect(file).toHaveLength(1);
      const [a, b] = await Promise.all([loadCheckpoint(join(dirMany, file[0]!)), loadCheckpoint(join(dirOne, file[0]!))]);
      expect(Object.keys(a.optimizerTensors).sort()).toEqual(Object.keys(b.optimizerTensors).sort());
      for (const k of Object.keys(b.optimizerTensors)) expect(maxDiff(a.optimizerTensors[k]!.dataSync() as Float32Array, b.optimizerTensors[k]!.dataSync() as Float32Array), k).toBeLessThan(1e-5);
      expect(a.optimizer.steps).toEqual(b.optimizer.steps);
      [a, b].forEach(disposeCheckpoint);
      // Resumed on 2 ranks (each loads the file; setup shards it again), it ends where the uninterrupted single process did.
      const resumed = await train({ worldSize: 2, seed, steps, optim, dir: dirMany, everySteps: at, resume: true });
      for (const name of Object.keys(SHAPES)) {
        expect(Array.from(resumed.weights[1]![name]!)).toEqual(Array.from(resumed.weights[0]![name]!));
        expect(maxDiff(resumed.weights[0]![name]!, one.weights[0]![name]!), name).toBeLessThan(2e-5);
      }
      // Every rank loaded the whole state; after the first step each keeps only its share again.
      const keys = resumed.states.map((s) => Object.keys(s.tensors));
      expect(keys.flat().sort()).toEqual(Object.keys(one.states[0]!.tensors).sort());
      dispose(one, first, resumed);
    } finally {
      await Promise.all([dirOne, dirMany].map((d) => rm(d, { recursive: true, force: true })));
    }
  });

  it('when the trained variables change (a layer frozen, then unfrozen), the optimizer state moves to the new owners (Adam, 2 and 3 ranks)', async () => {
    for (const n of [2, 3]) {
      const seed = 1 + Math.floor(Math.random() * 1e6);
      const ref = makeModel(seed);
      const refOpt = createOptimizer(ref.variables, { name: 'adam', lr: 0.05 });
      const models = Array.from({ length: n }, () => makeModel(seed));
      const opts = models.map((m) => createOptimizer(m.variables, { name: 'adam', lr: 0.05 }));
      const strategies = InMemoryCollective.group(n).map((c) => dataParallelStrategy(c, { shardOptimizer: true }));
      await Promise.all(strategies.map((s, r) => s.setup({ variables: models[r]!.variables, optimizer: opts[r]! })));
      const all = Object.keys(SHAPES);
      const frozen = all.filter((k) => !k.startsWith('l2/')); // l2 frozen in steps 2-3: its state must survive on its owner
      for (let step = 0; step < 6; step++) {
        const names = step === 2 || step === 3 ? frozen : all;
        const g = Object.fromEntries(names.map((k) => [k, tf.randomNormal(SHAPES[k]!, 0, 1, 'float32', seed + step * 10 + all.indexOf(k))]));
        refOpt.applyGradients(g);
        await Promise.all(strategies.map(async (s, r) => {
          const reduced = await s.reduceGradients(Object.fromEntries(names.map((k) => [k, tf.clone(g[k]!)])), { step, weight: 1 / n });
          opts[r]!.applyGradients(reduced);
          tf.dispose(Object.values(reduced));
          await s.afterStep({ variables: models[r]!.variables, optimizer: opts[r]! }, step);
        }));
        tf.dispose(Object.values(g));
      }
      for (const k of all) {
        const want = (await ref.variables[k]!.data()) as Float32Array;
        for (const m of models) expect(maxDiff((await m.variables[k]!.data()) as Float32Array, want), `${n} ranks, ${k}`).toBeLessThan(1e-5);
      }
      [ref, ...models].forEach((m) => m.dispose());
    }
  });

  it('a step without afterStep (the weights all-gather) is refused, naming the rank', async () => {
    const strategies = InMemoryCollective.group(2).map((c) => dataParallelStrategy(c, { shardOptimizer: true }));
    const models = [makeModel(5), makeModel(5)];
    const opts = models.map((m) => createOptimizer(m.variables, { name: 'sgd', lr: 0.1 }));
    await Promise.all(strategies.map((s, r) => s.setup({ variables: models[r]!.variables, optimizer: opts[r]! })));
    const grads = (m: TrainableModel) => Object.fromEntries(Object.entries(m.variables).map(([n, v]) => [n, tf.randomNormal(v.shape)]));
    const first = await Promise.all(strategies.map((s, r) => s.reduceGradients(grads(models[r]!), { step: 0, weight: 0.5 })));
    // Only the rank's own variables come back.
    expect(Object.keys(first[0]!).length + Object.keys(first[1]!).length).toBe(Object.keys(SHAPES).length);
    first.forEach((g) => tf.dispose(Object.values(g)));
    const again = await Promise.allSettled(strategies.map((s, r) => s.reduceGradients(grads(models[r]!), { step: 1, weight: 0.5 })));
    for (const [r, res] of again.entries()) {
      expect(res.status).toBe('rejected');
      expect((res as PromiseRejectedResult).reason).toBeInstanceOf(DistributedError);
      expect(String((res as PromiseRejectedResult).reason)).toContain(`rank ${r}`);
    }
    models.forEach((m) => m.dispose());
  });
});
