import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DistributedError } from '@omnitrain/core';
import { createOptimizer } from '@omnitrain/optim';
import { Trainer, decodeCheckpoint, disposeCheckpoint, encodeCheckpoint } from '@omnitrain/engine';
import type { Callback, RegroupInfo, Strategy } from '@omnitrain/engine';
import { createMlp } from '../../test-fixtures/mlp-model.js';
import { blobSource, gaussianBlobs } from '../../test-fixtures/blobs.js';
import { elasticGroup } from '../../test-fixtures/elastic-group.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seed = Math.floor(Math.random() * 1e6);
const means = [[1, 0], [-1, 0], [0, 1]];
const data = gaussianBlobs(240, means, seed); // global batch 24: 10 steps per epoch

function trainer(strategy: Strategy | undefined, rank: number, worldSize: number, callbacks: Callback[] = [], maxRegroups?: number): Trainer {
  const model = createMlp({ inputs: 2, hidden: [5], classes: 3, seed });
  const optimizer = createOptimizer(model.variables, { name: 'adam', lr: 0.05 });
  return new Trainer({ model, optimizer, strategy, epochs: 2, seed, train: blobSource(data, { batchSize: 24, seed, rank, worldSize }), callbacks, ...(maxRegroups === undefined ? {} : { maxRegroups }) });
}

/** Calls `act` once, when this trainer finished optimizer step `step` (1-based count). */
function atStep(step: number, act: () => void): Callback {
  let done = false;
  return { name: `at-${step}`, onBatchEnd: ({ trainer: t }) => void (!done && t.step === step && ((done = true), act())) };
}

const regroupLog = (log: RegroupInfo[]): Callback => ({ name: 'regroups', onRegroup: (i) => void log.push(i) });

function expectWeightsClose(a: Trainer, b: Trainer, digits: number): void {
  for (const [n, v] of Object.entries(a.model.variables)) {
    const [x, y] = [v, b.model.variables[n]!].map((t) => Array.from(t.dataSync()));
    x!.forEach((xi, i) => expect(y![i]!).toBeCloseTo(xi, digits));
  }
}

describe(`the Trainer with an elastic strategy (seed ${seed})`, () => {
  const single = trainer(undefined, 0, 1);
  const oracle = single.fit(); // one process on the same global batches: what every regroup must preserve

  it('encodeCheckpoint / decodeCheckpoint: the same state back, and corrupt bytes refused naming the source', async () => {
    await oracle;
    const state = single.checkpointState();
    const bytes = encodeCheckpoint(state);
    const back = decodeCheckpoint(bytes, 'state from rank 0, generation 3');
    expect({ ...back, weights: undefined, optimizerTensors: undefined, callbackTensors: undefined }).toEqual({ ...state, weights: undefined, optimizerTensors: undefined, callbackTensors: undefined });
    for (const [n, t] of Object.entries(state.weights)) expect(Array.from(back.weights[n]!.dataSync())).toEqual(Array.from(t.dataSync()));
    for (const [n, t] of Object.entries(state.optimizerTensors)) expect(Array.from(back.optimizerTensors[n]!.dataSync())).toEqual(Array.from(t.dataSync()));
    const bad = Uint8Array.from(bytes);
    bad[bad.length - 3] ^= 0xff;
    expect(() => decodeCheckpoint(bad, 'state from rank 0, generation 3')).toThrow(/rank 0, generation 3/);
    disposeCheckpoint(state);
    disposeCheckpoint(back);
  });

  it('a member dies at step 4 of 3: the two survivors regroup (world 2), continue in the same trainers and end equal to one process', async () => {
    await oracle;
    const group = elasticGroup(3);
    const logs: RegroupInfo[][] = [[], [], []];
    const ts = group.members.map((m, i) => trainer(m.strategy, i, 3, [regroupLog(logs[i]!), ...(i === 1 ? [atStep(4, () => group.kill(1))] : [])]));
    const results = await Promise.allSettled(ts.map((t) => t.fit()));
    expect(results[1]!.status).toBe('rejected');
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(DistributedError);
    expect(results[0]!.status).toBe('fulfilled');
    expect(results[2]!.status).toBe('fulfilled');
    const failure = logs[0]!.find((l) => l.reason === 'failure')!;
    expect(failure.worldSize).toBe(2);
    expect(logs[2]!.find((l) => l.reason === 'failure')!.rank).toBe(1); // old rank 2 is rank 1 now
    expect(failure.rolledBackToStep).toBeGreaterThanOrEqual(4);
    expect(failure.rolledBackToStep).toBeLessThanOrEqual(5);
    for (const t of [ts[0]!, ts[2]!]) {
      expect(t.step).toBe(20);
      expectWeightsClose(single, t, 4);
    }
    expect(Array.from(ts[0]!.model.variables['dense1/kernel']!.dataSync())).toEqual(Array.from(ts[2]!.model.variables['dense1/kernel']!.dataSync()));
    expect(ts[0]!.history.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    ts.forEach((t) => t.model.dispose());
  });

  it('a member whose exchange failed after the others applied the update copies the most advanced member and all end equal to one process', async () => {
    await oracle;
    const group = elasticGroup(3);
    const logs: RegroupInfo[][] = [[], [], []];
    group.failOnce(2, 6); // the others apply step 6's update; member 2 does not
    const ts = group.members.map((m, i) => trainer(m.strategy, i, 3, [regroupLog(logs[i]!)]));
    await Promise.all(ts.map((t) => t.fit()));
    const lagging = logs[2]!.find((l) => l.reason === 'failure')!;
    expect(lagging.source).toBe(false);
    expect(lagging.worldSize).toBe(3);
    expect(lagging.rolledBackToStep).toBe(7); // the source's commit, one update ahead of its own
    expect(logs[0]!.find((l) => l.reason === 'failure')!.source).toBe(true);
    for (const t of ts) {
      expect(t.step).toBe(20);
      expectWeightsClose(single, t, 4);
    }
    ts.forEach((t) => t.model.dispose());
  });

  it('a worker joins at a step boundary: it gets the source state, the group goes to 3 and all end equal to one process', async () => {
    await oracle;
    const group = elasticGroup(2);
    const logs: RegroupInfo[][] = [[], [], []];
    let joiner: Trainer | undefined;
    let joined: Promise<unknown> | undefined;
    const ts = group.members.map((m, i) =>
      trainer(m.strategy, i, 2, [
        regroupLog(logs[i]!),
        ...(i === 0
          ? [atStep(13, () => {
              const j = group.join();
              joiner = trainer(j.strategy, 0, 1, [regroupLog(logs[2]!)]);
              joined = joiner.fit();
            })]
          : []),
      ]),
    );
    await Promise.all(ts.map((t) => t.fit()));
    await joined;
    expect(logs[0]!.map((l) => l.reason)).toEqual(['start', 'join']);
    const start = logs[2]![0]!;
    expect(start).toMatchObject({ reason: 'start', rank: 2, worldSize: 3, source: false });
    expect(start.rolledBackToStep).toBeGreaterThanOrEqual(14);
    for (const t of [...ts, joiner!]) {
      expect(t.step).toBe(20);
      expectWeightsClose(single, t, 4);
    }
    [...ts, joiner!].forEach((t) => t.model.dispose());
  });

  it('more regroups than maxRegroups fail the fit with a DistributedError naming the limit', async () => {
    const group = elasticGroup(2);
    const ts = group.members.map((m, i) => trainer(m.strategy, i, 2, i === 0 ? [atStep(2, () => group.failOnce(1, 3))] : [], 0));
    const results = await Promise.allSettled(ts.map((t) => t.fit()));
    const reasons = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.join('\n')).toMatch(/maxRegroups/);
    ts.forEach((t) => t.model.dispose());
  });
});
