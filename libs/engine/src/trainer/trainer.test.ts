import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, ConfigError, DataError } from '@omnitrain/core';
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, freeze, lrMonitor, singleProcessStrategy, softmaxCrossEntropy } from '@omnitrain/engine';
import type { BatchEndInfo, BatchSource, Callback, Strategy, TrainableModel } from '@omnitrain/engine';
import { createMlp } from '../../test-fixtures/mlp-model.js';
import { blobEvalSource, blobSource, gaussianBlobs, normalCdf } from '../../test-fixtures/blobs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seed = Math.floor(Math.random() * 1e6);
const means2 = [
  [1, 0],
  [-1, 0],
]; // ‖m0 - m1‖ = 2: Bayes accuracy Φ(1)

function recorder(): Callback & { batches: BatchEndInfo[] } {
  const batches: BatchEndInfo[] = [];
  return { name: 'rec', batches, onBatchEnd: (i) => void batches.push(i) };
}

/** Spins (the step's phases are synchronous tfjs work, so a sleep would not stand in for them). */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Every part is >= 0 and the parts tile the step: they add up to its total. */
function expectSplitAddsUp(batches: readonly BatchEndInfo[]): void {
  for (const { timings: t } of batches) {
    for (const v of [t.dataMs, t.computeMs, t.allReduceMs, t.optimizerMs]) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.abs(t.dataMs + t.computeMs + t.allReduceMs + t.optimizerMs - t.totalMs)).toBeLessThan(1e-6 * t.totalMs + 1e-9);
  }
}

describe('Trainer', () => {
  it(`logistic regression on Gaussian blobs: loss drops, val accuracy reaches the Bayes accuracy (seed ${seed})`, async () => {
    const train = gaussianBlobs(1024, means2, seed);
    const val = gaussianBlobs(4000, means2, seed + 1);
    const model = createMlp({ inputs: 2, hidden: [], classes: 2, seed });
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.5 });
    const trainer = new Trainer({ model, optimizer, train: blobSource(train, { batchSize: 64, seed }), validation: blobEvalSource(val, 500), epochs: 4 });
    const history = await trainer.fit();
    const bayes = normalCdf(1); // 0.8413
    // The true log-odds are 2 * x1 (class 0 at +1): the Bayes model is linear, so maximum likelihood
    // on the training set reaches at most its loss there (3 parameters on 1024 samples barely overfit:
    // the gap is chi-squared(3) / 2n, over 0.02 once in 10^8 draws; 0.01 would fail once in 7,000).
    let bayesLoss = 0;
    for (let i = 0; i < train.n; i++) bayesLoss += Math.log1p(Math.exp(-2 * train.x[i * 2]! * (train.y[i] === 0 ? 1 : -1))) / train.n;
    const fitted = await trainer.evaluate(blobEvalSource(train, 256));
    expect(fitted.loss).toBeGreaterThan(bayesLoss - 0.02);
    expect(fitted.loss).toBeLessThan(bayesLoss + 0.02);
    expect(history.metric('loss')[0]!).toBeGreaterThan(history.metric('loss').at(-1)!);
    const acc = history.last()['val_accuracy']!;
    // Against the Bayes rule (x1 > 0 means class 0) scored on the same 4000 samples, so the draw of the
    // validation set cancels out: over 150 fresh seeds the gap's sd was 0.0018 (against Φ(1) itself
    // 0.0054, so a 0.025 band failed about once in 250,000 runs).
    let bayesCorrect = 0;
    for (let i = 0; i < val.n; i++) bayesCorrect += (val.x[i * 2]! > 0) === (val.y[i] === 0) ? 1 : 0;
    expect(Math.abs(bayesCorrect / val.n - bayes)).toBeLessThan(0.04); // the fixture: 7 sd
    expect(Math.abs(acc - bayesCorrect / val.n)).toBeLessThan(0.02);
    const ev = await trainer.evaluate(blobEvalSource(val, 999));
    expect(ev.count).toBe(4000);
    expect(ev.confusion.flat().reduce((a, b) => a + b)).toBe(4000);
    expect(ev.accuracy).toBeCloseTo(acc, 10);
    model.dispose();
    optimizer.dispose();
  });

  it('one SGD step equals the closed-form gradient of the smoothed cross-entropy of a linear model', async () => {
    const data = gaussianBlobs(24, [[1, 0, 2], [-1, 1, 0], [0, -2, 1]], seed);
    const model = createMlp({ inputs: 3, hidden: [], classes: 3, seed });
    const [w0, b0] = [model.variables['dense1/kernel']!.arraySync() as number[][], model.variables['dense1/bias']!.arraySync() as number[]];
    const lr = 0.3;
    const eps = 0.1;
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr });
    await new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 24, seed }), epochs: 1, labelSmoothing: eps }).fit();
    // dL/dlogits = (softmax - q) / n with q = (1-eps) onehot + eps/K; dW = X^T dZ, db = sum dZ.
    const dW = [0, 1, 2].map(() => [0, 0, 0]);
    const db = [0, 0, 0];
    for (let i = 0; i < 24; i++) {
      const xi = [0, 1, 2].map((d) => data.x[i * 3 + d]!);
      const z = [0, 1, 2].map((c) => b0[c]! + xi.reduce((a, v, d) => a + v * w0[d]![c]!, 0));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b);
      for (let c = 0; c < 3; c++) {
        const q = (c === data.y[i] ? 1 - eps : 0) + eps / 3;
        const g = (e[c]! / s - q) / 24;
        db[c]! += g;
        for (let d = 0; d < 3; d++) dW[d]![c]! += xi[d]! * g;
      }
    }
    const w1 = model.variables['dense1/kernel']!.arraySync() as number[][];
    const b1 = model.variables['dense1/bias']!.arraySync() as number[];
    for (let d = 0; d < 3; d++) for (let c = 0; c < 3; c++) expect(w1[d]![c]!).toBeCloseTo(w0[d]![c]! - lr * dW[d]![c]!, 5);
    for (let c = 0; c < 3; c++) expect(b1[c]!).toBeCloseTo(b0[c]! - lr * db[c]!, 5);
    model.dispose();
  });

  it('softmaxCrossEntropy matches the formula on random logits', () => {
    const logits = tf.randomNormal([5, 4], 0, 3, 'float32', seed) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 3, 1, 1, 2], 'int32');
    const z = logits.arraySync();
    const expected = z.map((row, i) => {
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      return -((1 - 0.2) * (row[labels.arraySync()[i]!]! - lse) + (0.2 / 4) * row.reduce((a, v) => a + (v - lse), 0));
    });
    const got = softmaxCrossEntropy(logits, labels, { labelSmoothing: 0.2 });
    expect(got.dataSync()[0]!).toBeCloseTo(expected.reduce((a, b) => a + b) / 5, 5);
    expect(() => softmaxCrossEntropy(logits, tf.tensor1d([0], 'int32'))).toThrow(DataError);
    tf.dispose([logits, labels, got]);
  });

  it('does not leak tensors over steps and reports a consistent time split', async () => {
    const data = gaussianBlobs(160, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [8], classes: 2, seed });
    const optimizer = createOptimizer(model.variables, { name: 'adam', lr: 0.01 });
    const counts: number[] = [];
    const rec = recorder();
    const probe: Callback = { name: 'probe', onBatchEnd: () => void counts.push(tf.memory().numTensors) };
    const trainer = new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 16, seed }), validation: blobEvalSource(data, 50), epochs: 3, callbacks: [rec, probe] });
    await trainer.fit();
    // Adam creates its slots on the first step; from then on the count must not move.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(rec.batches).toHaveLength(30);
    expectSplitAddsUp(rec.batches);
    for (const b of rec.batches) {
      expect(b.timings.allReduceMs).toBe(0); // one process: nothing to reduce
      expect(b.samples).toBe(16);
    }
    expect(rec.batches.map((b) => b.step)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    model.dispose();
    optimizer.dispose();
  });

  it('measures each part of the step on its own clock: injected delays land in their own part', async () => {
    const data = gaussianBlobs(96, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [8], classes: 2, seed });
    const optimizer = createOptimizer(model.variables, { name: 'adam', lr: 0.01 });
    const [dataDelay, computeDelay, optimizerDelay] = [2, 2, 2].map((d) => d + Math.floor(Math.random() * 4)) as [number, number, number]; // whole ms: setTimeout truncates
    const source = blobSource(data, { batchSize: 16, seed });
    const slowSource: BatchSource = {
      batchesPerEpoch: () => source.batchesPerEpoch(),
      getState: () => source.getState(),
      setState: (st) => source.setState(st),
      async *epoch() {
        for await (const b of source.epoch()) {
          await new Promise((r) => setTimeout(r, dataDelay));
          yield b;
        }
      },
    };
    const slowModel: TrainableModel = { ...model, variables: model.variables, forward: (b, o) => (busyWait(computeDelay), model.forward(b, o)) };
    const apply = optimizer.applyGradients.bind(optimizer);
    optimizer.applyGradients = (g) => (busyWait(optimizerDelay), apply(g));
    const rec = recorder();
    await new Trainer({ model: slowModel, optimizer, train: slowSource, epochs: 1, evalEvery: 0, callbacks: [rec] }).fit();
    expect(rec.batches).toHaveLength(6);
    expectSplitAddsUp(rec.batches);
    for (const { timings: t } of rec.batches) {
      expect(t.dataMs).toBeGreaterThanOrEqual(dataDelay - 1); // timers may fire up to 1 ms early
      expect(t.computeMs).toBeGreaterThanOrEqual(computeDelay);
      expect(t.optimizerMs).toBeGreaterThanOrEqual(optimizerDelay);
      expect(t.allReduceMs).toBe(0);
    }
    model.dispose();
    optimizer.dispose();
  });

  it('trains only trainable variables (frozen ones stay bitwise equal)', async () => {
    const data = gaussianBlobs(64, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [4], classes: 2, seed });
    freeze(model.variables, ['dense1/*']);
    const before = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1 });
    await new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 16, seed }), epochs: 1 }).fit();
    expect(Array.from(model.variables['dense1/kernel']!.dataSync())).toEqual(before['dense1/kernel']);
    expect(Array.from(model.variables['dense2/kernel']!.dataSync())).not.toEqual(before['dense2/kernel']);
    model.dispose();
  });

  it('gradient accumulation of k micro-batches equals one batch k times as large', async () => {
    const data = gaussianBlobs(96, means2, seed);
    const run = async (batchSize: number, accumulationSteps: number) => {
      const model = createMlp({ inputs: 2, hidden: [6], classes: 2, seed });
      const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.2, momentum: 0.9 });
      const t = new Trainer({ model, optimizer, train: blobSource(data, { batchSize, seed }), epochs: 2, optim: { accumulationSteps } });
      await t.fit();
      const out = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));
      expect(t.step).toBe(2 * Math.ceil(96 / (batchSize * accumulationSteps)));
      model.dispose();
      return out;
    };
    const [a, b] = [await run(8, 3), await run(24, 1)];
    for (const n of Object.keys(a)) a[n]!.forEach((v, i) => expect(v).toBeCloseTo(b[n]![i]!, 5));
  });

  it('an l2 penalty on the configured params equals coupled SGD weight decay 2*l2 on them', async () => {
    const data = gaussianBlobs(48, means2, seed);
    const run = async (penalty: boolean) => {
      const model = createMlp({ inputs: 2, hidden: [5], classes: 2, seed });
      const optimizer = createOptimizer(model.variables, penalty
        ? { name: 'sgd', lr: 0.2 }
        : { name: 'sgd', lr: 0.2, groups: [{ params: ['*kernel'], weightDecay: 2 * 0.05 }] });
      const optim = penalty ? { regularization: { l2: 0.05, params: ['*kernel'] } } : {};
      await new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 16, seed }), epochs: 2, optim }).fit();
      const out = Object.fromEntries(Object.entries(model.variables).map(([n, v]) => [n, Array.from(v.dataSync())]));
      model.dispose();
      return out;
    };
    const [a, b, none] = [await run(true), await run(false), await (async () => {
      const model = createMlp({ inputs: 2, hidden: [5], classes: 2, seed });
      await new Trainer({ model, optimizer: createOptimizer(model.variables, { name: 'sgd', lr: 0.2 }), train: blobSource(data, { batchSize: 16, seed }), epochs: 2 }).fit();
      const out = Array.from(model.variables['dense1/kernel']!.dataSync());
      model.dispose();
      return out;
    })()];
    for (const n of Object.keys(a)) a[n]!.forEach((v, i) => expect(v).toBeCloseTo(b[n]![i]!, 5));
    expect(a['dense1/kernel']).not.toEqual(none); // the penalty did something
  });

  it('refuses a regularization pattern that matches no parameter, naming it and the real names', () => {
    const model = createMlp({ inputs: 2, hidden: [3], classes: 2, seed });
    const typo = `*kernal${seed % 10}`;
    const make = (params: string[]) => new Trainer({
      model, optimizer: createOptimizer(model.variables, { name: 'sgd', lr: 0.1 }),
      train: blobSource(gaussianBlobs(8, means2, seed), { batchSize: 4, seed }), optim: { regularization: { l2: 0.01, params } },
    });
    expect(() => make(['*kernel', typo])).toThrow(ConfigError);
    expect(() => make(['*kernel', typo])).toThrow(new RegExp(`"\\${typo}" matched none.*optim\\.regularization\\.params.*dense1/kernel`));
    expect(() => make(['*kernel'])).not.toThrow();
    model.dispose();
  });

  it('applies the schedule per step and maxSteps caps the run', async () => {
    const data = gaussianBlobs(64, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [], classes: 2, seed });
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1, groups: [{ params: ['*bias'], lr: 0.01, name: 'bias' }] });
    const lrs = lrMonitor();
    const trainer = new Trainer({
      model, optimizer, train: blobSource(data, { batchSize: 8, seed }), epochs: 5, maxSteps: 11, callbacks: [lrs],
      optim: { schedule: { name: 'step', stepSize: 3, gamma: 0.5 } },
    });
    const history = await trainer.fit();
    expect(trainer.step).toBe(11);
    expect(history.epochs).toHaveLength(2); // one full epoch of 8 steps, then 3 steps
    expect(lrs.records.map((r) => r.step)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    for (const r of lrs.records) {
      expect(r.lrs['default']).toBeCloseTo(0.1 * 0.5 ** Math.floor(r.step / 3), 12);
      expect(r.lrs['bias']).toBeCloseTo(0.01 * 0.5 ** Math.floor(r.step / 3), 12);
    }
    model.dispose();
  });

  it('a failing step names step and epoch, calls onError, and always tears the strategy down', async () => {
    const data = gaussianBlobs(64, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [], classes: 2, seed });
    const base = singleProcessStrategy();
    let teardowns = 0;
    const strategy: Strategy = { ...base, teardown: async () => void (teardowns += 1) };
    const original = model.forward.bind(model);
    let calls = 0;
    const broken = { ...model, forward: (b: Parameters<typeof original>[0], o: { training: boolean }) => {
      if (++calls === 6) throw new DataError({ op: 'test.forward', expected: 'finite inputs', received: 'NaN' });
      return original(b, o);
    } };
    const errors: Error[] = [];
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1 });
    const trainer = new Trainer({ model: broken, optimizer, strategy, train: blobSource(data, { batchSize: 16, seed }), epochs: 3, callbacks: [{ name: 'e', onError: ({ error }) => void errors.push(error) }] });
    const failure = await trainer.fit().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toContain('step 5, epoch 1');
    expect(errors).toHaveLength(1);
    expect(teardowns).toBe(1);
    model.dispose();
  });

  it('refuses to train without registered gradients, naming the import that fixes it', async () => {
    const data = gaussianBlobs(16, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [], classes: 2, seed });
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1 });
    const saved = tf.getGradient('Multiply')!;
    tf.unregisterGradient('Multiply');
    try {
      const failure = await new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 8, seed }) }).fit().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BackendError);
      expect((failure as Error).message).toMatch(/none for Multiply.*import '@tensorflow\/tfjs'/);
    } finally {
      tf.registerGradient(saved);
    }
    model.dispose();
  });

  it('predict returns one softmax row per sample with its id', async () => {
    const data = gaussianBlobs(10, means2, seed);
    const model = createMlp({ inputs: 2, hidden: [], classes: 2, seed });
    const optimizer = createOptimizer(model.variables, { name: 'sgd', lr: 0.1 });
    const trainer = new Trainer({ model, optimizer, train: blobSource(data, { batchSize: 4, seed }) });
    const preds = await trainer.predict(blobEvalSource(data, 4).batches());
    expect(preds.map((p) => p.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    for (const p of preds) {
      expect(p.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      expect(p.predicted).toBe(p.probabilities[1]! > p.probabilities[0]! ? 1 : 0);
    }
    model.dispose();
  });
});
