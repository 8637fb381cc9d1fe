// One worker of an elastic data-parallel job (elastic-strategy.test.ts): the shared 3-layer MLP
// (initial weights differ per process: the first regroup copies the source's), Adam, STEPS global
// batches, the elastic strategy over the membership service in OMNITRAIN_ELASTIC_ADDR. Prints
// `step N` after each step and `regroup {json}` after each regroup; writes <OUT_DIR>/<pid>.json
// (final weights, steps, regroups) and <pid>.init.json (its initial weights). Env: OUT_DIR, SEED, STEPS, SLOW_MS (sleep per step).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // the cpu backend and gradients in plain Node
import { createOptimizer } from '@omnitrain/optim';
import { Trainer } from '@omnitrain/engine';
import { elasticStrategy } from '@omnitrain/distributed';
import { makeModel, shardSource } from './sharded-job-model.js';

await tf.setBackend('cpu');
const num = (k: string) => Number(process.env[k]);
const seed = num('SEED');
const model = makeModel(seed + (process.pid % 1000));
const strategy = elasticStrategy({
  dataParallel: { deadlineMs: 20_000, checkEvery: 1 },
  collective: { heartbeatTimeoutMs: 1000, rendezvousTimeoutMs: 20_000 },
  helloTimeoutMs: 30_000,
});
const regroups: unknown[] = [];
const trainer = new Trainer({
  model,
  strategy,
  optimizer: createOptimizer(model.variables, { name: 'adam', lr: 0.05 }),
  train: shardSource(seed, num('STEPS'), 0, 1),
  epochs: 1,
  evalEvery: 0,
  seed,
  callbacks: [
    {
      name: 'report',
      onBatchEnd: async ({ step }) => {
        process.stdout.write(`step ${step + 1}\n`);
        await new Promise((r) => setTimeout(r, num('SLOW_MS')));
      },
      onRegroup: ({ reason, generation, rank, worldSize, rolledBackToStep, source }) => {
        const r = { reason, generation, rank, worldSize, rolledBackToStep, source };
        regroups.push(r);
        process.stdout.write(`regroup ${JSON.stringify(r)}\n`);
      },
    },
  ],
});
const initial = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));
await writeFile(join(process.env['OUT_DIR']!, `${process.pid}.init.json`), JSON.stringify(initial));
await trainer.fit();
const weights = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));
await writeFile(join(process.env['OUT_DIR']!, `${process.pid}.json`), JSON.stringify({ weights, step: trainer.step, regroups }));
