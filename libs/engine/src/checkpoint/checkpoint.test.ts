import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, saveWeights } from '@omnitrain/core';
import { createOptimizer } from '@omnitrain/optim';
import {
  Trainer,
  checkpointFileName,
  disposeCheckpoint,
  earlyStopping,
  latestCheckpoint,
  loadCheckpoint,
  modelCheckpoint,
  reduceLrOnPlateau,
  resumeTrainer,
} from '@omnitrain/engine';
import type { TrainerOptions } from '@omnitrain/engine';
import { createMlp } from '../../test-fixtures/mlp-model.js';
import { blobEvalSource, blobSource, gaussianBlobs } from '../../test-fixtures/blobs.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'engine-ckpt-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const seed = Math.floor(Math.random() * 1e6);
const data = gaussianBlobs(100, [[1, 0, 0], [-1, 1, 0], [0, -1, 1]], seed);
const val = gaussianBlobs(60, [[1, 0, 0], [-1, 1, 0], [0, -1, 1]], seed + 1);

/** A fresh trainer of the same run: Adam, a step schedule, plateau + early-stopping state, label smoothing. */
function build(dir: string, extra: Partial<TrainerOptions> = {}, ckpt: Parameters<typeof modelCheckpoint>[0] = {}) {
  const model = createMlp({ inputs: 3, hidden: [8], classes: 3, seed });
  const optimizer = createOptimizer(model.variables, { name: 'adam', lr: 0.02 });
  const trainer = new Trainer({
    model,
    optimizer,
    train: blobSource(data, { batchSize: 16, seed }), // 7 batches per epoch, the last one short
    validation: blobEvalSource(val, 32),
    labelSmoothing: 0.05,
    seed,
    optim: { schedule: { name: 'step', stepSize: 4, gamma: 0.7 } },
    callbacks: [
      reduceLrOnPlateau({ monitor: 'val_loss', patience: 0, threshold: 0.5 }),
      earlyStopping({ patience: 50 }),
      modelCheckpoint({ dir, keepLast: 10, ...ckpt }),
    ],
    ...extra,
  });
  return { model, optimizer, trainer };
}

const weightsOf = (m: ReturnType<typeof createMlp>) => Object.fromEntries(Object.entries(m.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));

describe('checkpoints', () => {
  it(`resuming from an epoch-end checkpoint continues bitwise exactly (seed ${seed})`, async () => {
    const straight = build(join(root, 'straight'), { epochs: 3 });
    const history = await straight.trainer.fit();

    const dir = join(root, 'interrupted');
    const first = build(dir, { epochs: 1 });
    await first.trainer.fit();
    first.model.dispose();
    const second = build(dir, { epochs: 3 });
    const from = await resumeTrainer(second.trainer, dir);
    expect(from).toBe(join(dir, checkpointFileName(7)));
    const resumedHistory = await second.trainer.fit();

    expect(weightsOf(second.model)).toEqual(weightsOf(straight.model));
    expect(second.trainer.step).toBe(straight.trainer.step);
    expect(second.optimizer.groups.map((g) => g.lr)).toEqual(straight.optimizer.groups.map((g) => g.lr));
    expect(resumedHistory.epochs).toEqual(history.epochs);
    straight.model.dispose();
    second.model.dispose();
  });

  it.each([
    { maxSteps: 10, everySteps: 5, epoch: 1, files: [5, 10] }, // mid-epoch
    { maxSteps: 7, everySteps: 7, epoch: 0, files: [7] }, // after the epoch's last batch, before its end
  ])('resuming from a step checkpoint ($maxSteps steps) continues bitwise exactly', async ({ maxSteps, everySteps, epoch, files }) => {
    const straight = build(join(root, `straight-${maxSteps}`), { epochs: 2 });
    const h = await straight.trainer.fit();
    const dir = join(root, `mid-${maxSteps}`);
    const first = build(dir, { epochs: 2, maxSteps }, { everySteps, everyEpochs: 0 });
    await first.trainer.fit();
    const names = (await readdir(dir)).filter((f) => f.endsWith('.safetensors')).sort();
    expect(names).toEqual(files.map(checkpointFileName));
    const second = build(dir, { epochs: 2 });
    await resumeTrainer(second.trainer, dir);
    expect(second.trainer.step).toBe(maxSteps);
    expect(second.trainer.epoch).toBe(epoch);
    const h2 = await second.trainer.fit();
    expect(weightsOf(second.model)).toEqual(weightsOf(straight.model));
    expect(h2.epochs).toEqual(h.epochs);
    [straight, first, second].forEach((r) => r.model.dispose());
  });

  it('one file holds weights, optimizer, schedule, RNG, sampler, counters and callback states; latest.json points at it', async () => {
    const dir = join(root, 'content');
    const run = build(dir, { epochs: 2 }, { keepLast: 1 });
    await run.trainer.fit();
    expect((await readdir(dir)).filter((f) => f.endsWith('.safetensors'))).toEqual([checkpointFileName(14)]);
    const latest = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as { file: string; step: number };
    expect(latest).toMatchObject({ file: checkpointFileName(14), step: 14, epoch: 2 });
    const state = await loadCheckpoint(join(dir, latest.file));
    expect(Object.keys(state.weights).sort()).toEqual(Object.keys(run.model.variables).sort());
    for (const [n, t] of Object.entries(state.weights)) expect(Array.from(t.dataSync())).toEqual(Array.from(run.model.variables[n]!.dataSync()));
    expect(Object.keys(state.optimizerTensors).length).toBeGreaterThan(0);
    expect(state.optimizer.iterations).toBe(14);
    expect(state.schedule?.config).toMatchObject({ name: 'step', stepSize: 4 });
    expect(state.rng).toEqual(run.trainer.rng.getState());
    expect(state.sampler).toEqual({ epoch: 2, position: 0, seed, size: 100 });
    expect(Object.keys(state.callbacks).sort()).toEqual(['earlyStopping', 'modelCheckpoint', 'reduceLrOnPlateau']);
    expect(state.history).toHaveLength(2);
    expect(state.metrics).toEqual(run.trainer.history.last());
    disposeCheckpoint(state);
    run.model.dispose();
  });

  it('latestCheckpoint skips a corrupt newest file with a warning and falls back to the newest valid one', async () => {
    const dir = join(root, 'corrupt');
    const run = build(dir, { epochs: 3 });
    await run.trainer.fit();
    const newest = join(dir, checkpointFileName(21));
    const bytes = await readFile(newest);
    bytes[bytes.length - 5] ^= 0xff; // flip data bits: the CRC no longer matches
    await writeFile(newest, bytes);
    const warnings: string[] = [];
    expect(await latestCheckpoint(dir, { onWarning: (m) => warnings.push(m) })).toBe(join(dir, checkpointFileName(14)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(newest);
    await rm(join(dir, 'latest.json'));
    expect(await latestCheckpoint(dir, { onWarning: () => undefined })).toBe(join(dir, checkpointFileName(14)));
    expect(await latestCheckpoint(join(root, 'nowhere'))).toBeUndefined();
    run.model.dispose();
  });

  it('loadCheckpoint refuses a plain weights file, naming it', async () => {
    const path = join(root, 'plain.safetensors');
    const t = tf.randomNormal([3, 2]);
    await saveWeights(path, { w: t });
    t.dispose();
    await expect(loadCheckpoint(path)).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(path)).rejects.toThrow(path);
  });

  it('resumeFrom refuses a checkpoint of another architecture', async () => {
    const dir = join(root, 'arch');
    const run = build(dir, { epochs: 1 });
    await run.trainer.fit();
    const other = createMlp({ inputs: 3, hidden: [5], classes: 3, seed });
    const trainer = new Trainer({ model: other, optimizer: createOptimizer(other.variables, { name: 'adam' }), train: blobSource(data, { batchSize: 16, seed }) });
    await expect(trainer.resumeFrom(join(dir, checkpointFileName(7)))).rejects.toThrow(/dense1\/kernel \[3,8\] vs \[3,5\]/);
    run.model.dispose();
    other.dispose();
  });

  it('early stopping restores the best epoch\'s weights even when the run was resumed after that epoch', async () => {
    // Monitoring the training loss with mode max: epoch 0 is the best and never beaten, so the run
    // stops after epoch 3 (patience 3) and must restore epoch 0's weights, which a run resumed from
    // the epoch-1 checkpoint only has from the checkpoint file.
    const stopper = () => earlyStopping({ monitor: 'loss', mode: 'max', patience: 3, restoreBest: true });
    const epochWeights: Array<Record<string, number[]>> = [];
    const record = { name: 'record', onEpochEnd: ({ trainer }: { trainer: Trainer }) => void epochWeights.push(weightsOf(trainer.model as ReturnType<typeof createMlp>)) };
    const straight = build(join(root, 'best-straight'), { epochs: 10, callbacks: [stopper(), record, modelCheckpoint({ dir: join(root, 'best-straight'), keepLast: 10 })] });
    await straight.trainer.fit();
    expect(straight.trainer.epoch).toBe(4); // stopped after epoch 3
    expect(weightsOf(straight.model)).toEqual(epochWeights[0]);

    const dir = join(root, 'best-resumed');
    const first = build(dir, { epochs: 2, callbacks: [stopper(), modelCheckpoint({ dir, keepLast: 10 })] });
    await first.trainer.fit();
    first.model.dispose();
    const state = await loadCheckpoint(join(dir, checkpointFileName(14)));
    expect(Object.keys(state.callbackTensors?.['earlyStopping'] ?? {}).sort()).toEqual(Object.keys(first.model.variables).sort());
    disposeCheckpoint(state);
    const second = build(dir, { epochs: 10, callbacks: [stopper(), modelCheckpoint({ dir, keepLast: 10 })] });
    await resumeTrainer(second.trainer, dir);
    await second.trainer.fit();
    expect(second.trainer.epoch).toBe(4);
    expect(weightsOf(second.model)).toEqual(epochWeights[0]);
    straight.model.dispose();
    second.model.dispose();
  });
});
