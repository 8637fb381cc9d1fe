// One training run, built the same way by a test and by the child process it kills (crash-trainer.mjs).
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, modelCheckpoint } from '@omnitrain/engine';
import type { Callback } from '@omnitrain/engine';
import { createMlp } from './mlp-model.js';
import { blobEvalSource, blobSource, gaussianBlobs } from './blobs.js';

/** A 3-class MLP run with Adam, a cosine schedule and step checkpoints every 3 steps into `dir`. */
export function buildResumeRun(dir: string, seed: number, callbacks: Callback[] = []) {
  const means = [[1, 0, 0], [-1, 1, 0], [0, -1, 1]];
  const model = createMlp({ inputs: 3, hidden: [8], classes: 3, seed });
  const optimizer = createOptimizer(model.variables, { name: 'adam', lr: 0.02 });
  const trainer = new Trainer({
    model,
    optimizer,
    train: blobSource(gaussianBlobs(90, means, seed), { batchSize: 16, seed }), // 6 batches per epoch
    validation: blobEvalSource(gaussianBlobs(30, means, seed + 1), 16),
    epochs: 3,
    seed,
    optim: { schedule: { name: 'cosine', tMax: 18 } },
    callbacks: [modelCheckpoint({ dir, everySteps: 3, everyEpochs: 0, keepLast: 2 }), ...callbacks],
  });
  return { model, optimizer, trainer };
}
