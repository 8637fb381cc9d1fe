// One worker of an elastic data-parallel job (elastic-strategy.test.ts): the shared 3-layer MLP
// (initial weights differ per process: the first regroup copies the source's), Adam, STEPS global
// batches, the elastic strategy over the membership service in OMNITRAIN_ELASTIC_ADDR. Prints
// `step N` after each step and `regroup {json}` after each regroup; writes <OUT_DIR>/<pid>.json
// (final weights, steps, regroups) and <pid>.init.json (its initial weights). With HOLD_AT and
// HOLD_FILE, it waits after step HOLD_AT until the file exists. Env: OUT_DIR, SEED, STEPS, SLOW_MS (sleep per step).
import { existsSync } from 'node:fs';
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
        // HOLD_AT: wait (up to 60 s) after that step until HOLD_FILE exists, so a joiner surely finds the group training.
        if (step + 1 === num('HOLD_AT')) {
          for (const end = Date.now() + 60_000; !existsSync(process.env['HOLD_FILE']!) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
        }
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
