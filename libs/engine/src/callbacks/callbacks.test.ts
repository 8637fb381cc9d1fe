import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { createOptimizer, parseOptimConfig } from '@omnitrain/optim';
import { RunRecorder, jsonlSink, readEvents } from '@omnitrain/telemetry';
import type { TelemetryEvent } from '@omnitrain/telemetry';
import {
  Trainer,
  callbackTypes,
  callbacksFromConfig,
  createCallback,
  earlyStopping,
  modelCheckpoint,
  parseTrainConfig,
  progressCallback,
  reduceLrOnPlateau,
  telemetryCallback,
} from '@omnitrain/engine';
import type { Callback, ProgressUpdate, StopInfo, TrainerOptions } from '@omnitrain/engine';
import { createMlp } from '../../test-fixtures/mlp-model.js';
import { blobEvalSource, blobSource, gaussianBlobs } from '../../test-fixtures/blobs.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'engine-cb-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const seed = Math.floor(Math.random() * 1e6);
const means = [[1, 0], [-1, 0], [0, 1.5]];
const data = gaussianBlobs(64, means, seed); // 4 batches of 16
const val = gaussianBlobs(40, means, seed + 1);

function trainer(lr: number, callbacks: Callback[], extra: Partial<TrainerOptions> = {}) {
  const model = createMlp({ inputs: 2, hidden: [5], classes: 3, seed });
  const optimizer = createOptimizer(model.variables, { name: 'sgd', lr });
  return new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 16, seed }), validation: blobEvalSource(val, 16), epochs: 8, callbacks, ...extra });
}
const weights = (t: Trainer) => Object.values(t.model.variables).map((v) => Array.from(v.dataSync()));

describe(`callbacks (seed ${seed})`, () => {
  it('earlyStopping stops after `patience` epochs without improvement (lr 0: val_loss is constant)', async () => {
    const stops: StopInfo[] = [];
    const t = trainer(0, [earlyStopping({ monitor: 'val_loss', patience: 2 }), { name: 's', onStop: (i) => void stops.push(i) }]);
    const history = await t.fit();
    expect(history.epochs).toHaveLength(3);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.earlyStop).toMatchObject({ monitor: 'val_loss', mode: 'min', bestEpoch: 0, patience: 2, restoredBest: false });
    expect(stops[0]!.earlyStop!.bestValue).toBe(history.metric('val_loss')[0]);
  });

  it('earlyStopping with restoreBest puts back the best epoch\'s weights', async () => {
    const snaps: number[][][] = [];
    const t = trainer(0.5, [{ name: 'snap', onEpochEnd: ({ trainer: tr }) => void snaps.push(weights(tr)) }, earlyStopping({ monitor: 'val_accuracy', mode: 'max', patience: 1, minDelta: 10, restoreBest: true })]);
    await t.fit();
    expect(snaps).toHaveLength(2);
    expect(snaps[1]).not.toEqual(snaps[0]);
    expect(weights(t)).toEqual(snaps[0]);
  });

  it('earlyStopping names a metric that never appears', async () => {
    const t = trainer(0.1, [earlyStopping({ monitor: 'val_los' })], { validation: undefined });
    await expect(t.fit()).rejects.toThrow(/metric named "val_los".*loss, accuracy, lr/);
  });

  it('reduceLrOnPlateau lowers every group\'s rate when the metric plateaus (torch semantics)', async () => {
    const lrs: number[] = [];
    const t = trainer(0.01, [reduceLrOnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, threshold: 10, thresholdMode: 'abs' }), { name: 'lr', onEpochEnd: ({ trainer: tr }) => void lrs.push(tr.optimizer.groups[0]!.lr) }], { epochs: 6 });
    await t.fit();
    // epoch 0 sets best; each later epoch is "bad" (threshold 10 abs); reduce when bad epochs > patience (1): after epochs 2, 4.
    expect(lrs).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025]);
  });

  it('progress reports every batch and each epoch end with the fields the CLI draws', async () => {
    const updates: ProgressUpdate[] = [];
    await trainer(0.1, [progressCallback((u) => updates.push(u), { every: 2 })], { epochs: 2 }).fit();
    expect(updates.map((u) => `${u.phase}${u.epoch}:${u.batch}/${u.batchesPerEpoch}@${u.step}`)).toEqual([
      'batch0:2/4@2', 'batch0:4/4@4', 'epoch0:4/4@4', 'batch1:2/4@6', 'batch1:4/4@8', 'epoch1:4/4@8',
    ]);
    for (const u of updates) {
      expect(u.epochs).toBe(2);
      expect(u.samplesPerSec).toBeGreaterThan(0);
      expect(Number.isFinite(u.metrics['loss'])).toBe(true);
    }
  });

  it('telemetry writes the event contract: run-start first, metrics, lr, step time, system, confusion matrix, checkpoint, early-stop, run-end', async () => {
    const runDir = join(root, 'run-telemetry');
    const path = join(runDir, 'events.jsonl');
    const recorder = new RunRecorder({ runId: 'r1', sink: jsonlSink({ path }) });
    const context = { runDir, recorder, runName: 'blobs', runConfig: { train: { epochs: 8 } }, hparams: { lr: 0 }, classNames: ['a', 'b', 'c'] };
    const t = trainer(0, [earlyStopping({ patience: 1 }), modelCheckpoint({ dir: join(runDir, 'checkpoints') }), telemetryCallback(context, { everySteps: 2, systemEverySteps: 4, histogramEveryEpochs: 2 })]);
    await t.fit();
    await recorder.close();
    const { events, problems } = await readEvents(path);
    expect(problems).toEqual([]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]!.kind).toBe('run-start');
    expect(events.at(-2)!.kind).toBe('run-end');
    const of = <K extends TelemetryEvent['kind']>(k: K) => events.filter((e) => e.kind === k) as Extract<TelemetryEvent, { kind: K }>[];
    expect(of('run-start')[0]).toMatchObject({ name: 'blobs', hparams: { lr: 0 }, worldSize: 1 });
    expect(of('metric').filter((e) => e.split === 'train' && e.name === 'loss').map((e) => e.step)).toEqual([0, 2, 4, 6]);
    expect(of('learning-rate').map((e) => e.value)).toEqual([0, 0, 0, 0]);
    expect(of('step-time')).toHaveLength(4);
    expect(of('system').length).toBeGreaterThanOrEqual(2);
    const cms = of('confusion-matrix');
    expect(cms).toHaveLength(2);
    expect(cms[0]!.labels).toEqual(['a', 'b', 'c']);
    expect(cms[0]!.matrix.flat().reduce((a, b) => a + b)).toBe(40);
    expect(of('metric').filter((e) => e.split === 'val').map((e) => e.name)).toEqual(['loss', 'accuracy', 'f1_macro', 'roc_auc', 'loss', 'accuracy', 'f1_macro', 'roc_auc']);
    expect(of('checkpoint').map((e) => e.path)).toEqual(['checkpoints/step-00000004.safetensors', 'checkpoints/step-00000008.safetensors']);
    expect(of('early-stop')).toEqual([expect.objectContaining({ monitor: 'val_loss', patience: 1, bestEpoch: 0, epoch: 1 })]);
    expect(of('run-end')[0]).toMatchObject({ status: 'completed', step: 8 });
    const hist = of('histogram'); // epoch 1 only (every 2 epochs)
    expect(hist.map((e) => `${e.name}@${e.step}`)).toEqual(Object.keys(t.model.variables).map((n) => `weights/${n}@8`));
    expect(hist.map((e) => e.num)).toEqual(Object.values(t.model.variables).map((v) => v.size));
    expect(hist[0]!.sum).toBeCloseTo(Array.from(t.model.variables['dense1/kernel']!.dataSync() as Float32Array).reduce((a, b) => a + b, 0), 4);
    expect(of('worker-status').map((e) => e.state)).toEqual(['training', 'training', 'training', 'exited']);
  });

  it('telemetry records a failed run', async () => {
    const path = join(root, 'run-fail', 'events.jsonl');
    const recorder = new RunRecorder({ runId: 'r2', sink: jsonlSink({ path }) });
    const boom: Callback = { name: 'boom', onEpochEnd: () => { throw new Error('disk on fire'); } };
    await expect(trainer(0.1, [telemetryCallback({ recorder }), boom]).fit()).rejects.toThrow(/disk on fire.*step 4, epoch 1/);
    await recorder.close();
    const { events } = await readEvents(path);
    expect(events.find((e) => e.kind === 'run-end')).toMatchObject({ status: 'failed', error: expect.stringContaining('disk on fire') });
  });

  it('registry: run-config callbacks by name, with a suggestion for a typo', () => {
    expect(callbackTypes.list()).toEqual(['earlyStopping', 'gradualUnfreezing', 'lrMonitor', 'modelCheckpoint', 'progress', 'reduceLrOnPlateau', 'telemetry']);
    expect(() => createCallback({ name: 'earlyStoping' })).toThrow(/Did you mean "earlyStopping"/);
    expect(() => createCallback({ name: 'lrMonitor', every: 0 })).toThrow(ConfigError);
    const train = parseTrainConfig({ earlyStopping: { patience: 2 }, callbacks: [{ name: 'lrMonitor', every: 5 }, { name: 'progress' }] });
    const optim = parseOptimConfig({ plateau: { patience: 3 } });
    expect(callbacksFromConfig(train, { runDir: root }, optim).map((c) => c.name)).toEqual(['reduceLrOnPlateau', 'earlyStopping', 'modelCheckpoint', 'lrMonitor', 'progress']);
  });
});
