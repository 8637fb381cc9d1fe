// One rank of real data-parallel training jobs with the sharded optimizer (ZeRO-1) over one
// ZmqCollective, for sharded-optimizer-zmq.test.ts. Per optimizer config i of OPTIMS: the Trainer
// trains this rank's part of every global batch up to step AT (the chief checkpoints there, into
// <JOB_DIR>/<i>/checkpoints), then a fresh model and optimizer resume from that file and train to the
// end. Writes <JOB_DIR>/<i>/rank-<r>.json: final weights and the optimizer slots this rank holds.
// Env: JOB_DIR, SEED, STEPS (batches in the epoch), AT (checkpoint step), OPTIMS (JSON array).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // the cpu backend and gradients in plain Node
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, modelCheckpoint, resumeTrainer } from '@omnitrain/engine';
import { ZmqCollective, dataParallelStrategy, readClusterEnv } from '@omnitrain/distributed';
import { makeModel, shardSource } from './sharded-job-model.js';

await tf.setBackend('cpu');
const env = readClusterEnv();
const num = (k: string) => Number(process.env[k]);
const seed = num('SEED');
const collective = await ZmqCollective.fromEnv(process.env, { rendezvousTimeoutMs: 30_000 });
const optims = JSON.parse(process.env['OPTIMS']!) as Array<{ name: string }>;
for (const [i, optim] of optims.entries()) {
  const dir = join(process.env['JOB_DIR']!, String(i));
  await mkdir(dir, { recursive: true });
  const run = async (maxSteps: number, resume: boolean) => {
    // Rank 1 starts from other weights: setup copies rank 0's (or the checkpoint's).
    const model = makeModel(seed + env.rank * 100 + (resume ? 1 : 0));
    const trainer = new Trainer({
      model,
      strategy: dataParallelStrategy(collective, { shardOptimizer: true, checkEvery: 1, deadlineMs: 30_000, closeCollective: false }),
      optimizer: createOptimizer(model.variables, optim),
      train: shardSource(seed, num('STEPS'), env.rank, env.worldSize),
      epochs: 1,
      evalEvery: 0,
      maxSteps,
      seed,
      callbacks: [modelCheckpoint({ dir: join(dir, 'checkpoints'), everySteps: num('AT'), everyEpochs: 0, keepLast: 10 })],
    });
    if (resume) await resumeTrainer(trainer, join(dir, 'checkpoints'));
    await trainer.fit();
    return trainer;
  };
  (await run(num('AT'), false)).model.dispose();
  const trainer = await run(num('STEPS'), true);
  const weights = Object.fromEntries(Object.entries(trainer.model.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));
  const state = trainer.optimizer.exportState();
  await writeFile(join(dir, `rank-${env.rank}.json`), JSON.stringify({ weights, slots: Object.keys(state.tensors), step: trainer.step }));
  tf.dispose(state.tensors);
  trainer.model.dispose();
}
await collective.close();
