import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '@omnitrain/optim';
import type { NamedGradients, Optimizer } from '@omnitrain/optim';
import { Trainer } from '@omnitrain/engine';
import type { BatchEndInfo, BatchSource, Strategy, TrainableModel } from '@omnitrain/engine';
import { DistributedError, initBackend } from '@omnitrain/core';
import { InMemoryCollective, dataParallelStrategy, fromFloat16, toFloat16 } from '@omnitrain/distributed';
import type { Collective } from '@omnitrain/distributed';

beforeAll(() => tf.setBackend('cpu'));

const SHAPES: Record<string, number[]> = { 'l1/kernel': [5, 8], 'l1/bias': [8], 'l2/kernel': [8, 3], 'l2/bias': [3] };
let uid = 0;

/** A two-layer MLP's variables, random (seeded) values. */
function makeModel(seed: number): Record<string, tf.Variable> {
  return Object.fromEntries(
    Object.entries(SHAPES).map(([name, shape], i) => [name, tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', seed + i), true, `${name}-${uid++}`)]),
  );
}

/** Mean softmax cross-entropy gradients of the MLP on (x, y). */
function gradients(vars: Record<string, tf.Variable>, x: tf.Tensor2D, y: tf.Tensor1D): NamedGradients {
  const names = Object.keys(vars);
  const { grads } = tf.variableGrads(() => {
    const h = tf.relu(tf.add(tf.matMul(x, vars['l1/kernel']!), vars['l1/bias']!));
    const logits = tf.add(tf.matMul(h, vars['l2/kernel']!), vars['l2/bias']!);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, tf.oneHot(y, 3)), 1))) as tf.Scalar;
  }, names.map((n) => vars[n]!));
  return Object.fromEntries(names.map((n) => [n, grads[vars[n]!.name]!]));
}

function batch(step: number, size: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return { x: tf.randomNormal([size, 5], 0, 1, 'float32', 1000 + step) as tf.Tensor2D, y: tf.randomUniform([size], 0, 3, 'int32', 2000 + step) as tf.Tensor1D };
}

async function snapshot(vars: Record<string, tf.Variable>): Promise<Record<string, Float32Array>> {
  return Object.fromEntries(await Promise.all(Object.entries(vars).map(async ([n, v]) => [n, (await v.data()) as Float32Array] as const)));
}

/** The MLP as a TrainableModel over its variables. */
function mlpModel(variables: Record<string, tf.Variable>): TrainableModel {
  return {
    name: 'mlp',
    variables,
    numClasses: 3,
    forward: (b) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(b.inputs['x']!, variables['l1/kernel']!), variables['l1/bias']!)), variables['l2/kernel']!), variables['l2/bias']!) as tf.Tensor2D,
    getConfig: () => ({ name: 'mlp' }),
    dispose: () => tf.dispose(Object.values(variables)),
  };
}

/** A collective whose all-reduce sends float16 on the wire (what ZmqCollective's fp16 option does to every element). */
function fp16Wire(c: Collective): Collective {
  return {
    rank: c.rank,
    worldSize: c.worldSize,
    get step() { return c.step; },
    set step(s: number) { c.step = s; },
    async allReduce(data, op, options) {
      fromFloat16(toFloat16(data), data);
      await c.allReduce(data, op, options);
      fromFloat16(toFloat16(data), data);
      return data;
    },
    async reduceScatter(data, op, options) {
      fromFloat16(toFloat16(data), data);
      const mine = await c.reduceScatter(data, op, options);
      fromFloat16(toFloat16(mine), mine);
      return mine;
    },
    broadcast: (data, root, options) => c.broadcast(data, root, options),
    allGather: (data, options) => c.allGather(data, options),
    barrier: (label, options) => c.barrier(label, options),
    close: () => c.close(),
  };
}

describe('dataParallelStrategy', () => {
  it('the Trainer on 2 ranks (one exchange per step: weighted loss, metrics in the gradient bucket) equals 1 process on the global batch', async () => {
    const seed = Math.floor(Math.random() * 1e6);
    const steps = 5;
    const global = 16;
    // Rank 0's share of each global batch: random, a whole batch and an empty share included.
    const splits = Array.from({ length: steps }, (_, i) => (i === 1 ? global : i === 3 ? 0 : 1 + Math.floor(Math.random() * (global - 1))));
    const fit = async (strategy: Strategy | undefined, rank: number, worldSize: number) => {
      const variables = makeModel(seed);
      const infos: BatchEndInfo[] = [];
      const train: BatchSource = {
        batchesPerEpoch: () => steps,
        getState: () => ({ epoch: 0, position: 0, seed, size: steps * global }),
        setState: () => {},
        async *epoch() {
          for (let i = 0; i < steps; i++) {
            const { x, y } = batch(seed + i, global);
            const [from, to] = worldSize === 1 ? [0, global] : rank === 0 ? [0, splits[i]!] : [splits[i]!, global];
            const inputs = { x: tf.slice(x, [from, 0], [to - from, 5]) };
            const labels = tf.slice(y, [from], [to - from]);
            tf.dispose([x, y]);
            yield { inputs, labels, size: to - from, epoch: 0, weight: (to - from) / global, resumeState: { epoch: 0, position: (i + 1) * global, seed, size: steps * global } };
          }
        },
      };
      const trainer = new Trainer({
        model: mlpModel(variables), train, strategy, epochs: 1, evalEvery: 0,
        optimizer: createOptimizer(variables, { name: 'adam', lr: 0.05 }),
        optim: { regularization: { l2: 1e-3 } },
        callbacks: [{ name: 'rec', onBatchEnd: (i) => void infos.push(i) }],
      });
      await trainer.fit();
      return { weights: await snapshot(variables), infos, dispose: () => trainer.model.dispose() };
    };
    const one = await fit(undefined, 0, 1);
    const strategies = InMemoryCollective.group(2).map((c) => dataParallelStrategy(c));
    expect(strategies[0]!.reduceStep).toBeTypeOf('function');
    const [r0, r1] = await Promise.all(strategies.map((s, r) => fit(s, r, 2)));
    for (const name of Object.keys(SHAPES)) {
      expect(r1!.weights[name]).toEqual(r0!.weights[name]);
      const diff = Math.max(...r0!.weights[name]!.map((v, i) => Math.abs(v - one.weights[name]![i]!)));
      expect(diff).toBeLessThan(2e-5);
    }
    for (const r of [r0!, r1!]) {
      expect(r.infos.map((i) => i.samples)).toEqual(one.infos.map((i) => i.samples));
      expect(r.infos.map((i) => i.accuracy)).toEqual(one.infos.map((i) => i.accuracy));
      r.infos.forEach((info, i) => expect(Math.abs(info.loss - one.infos[i]!.loss)).toBeLessThan(1e-5 * Math.abs(one.infos[i]!.loss)));
    }
    [one, r0!, r1!].forEach((r) => r.dispose());
  });

  // wasm: gradients read in place from the backend's heap; cpu: through data().
  it.each(['cpu', 'wasm'] as const)('on %s, reduceStep sums numbers of any size to 1e-9 in the gradient bucket, and falls back to an exact reduction on a float16 wire', async (backend) => {
    await initBackend({ backend, env: {} });
    for (const [wire, n] of [['fp32', 2 + Math.floor(Math.random() * 3)], ['fp16', 2]] as const) {
      const seed = Math.floor(Math.random() * 1e6);
      const group = InMemoryCollective.group(n).map((c) => (wire === 'fp16' ? fp16Wire(c) : c));
      const bucketBytes = 4 * (8 + Math.floor(Math.random() * 60)); // 1 to 8 buckets: the numbers ride in the last
      const strategies = group.map((c) => dataParallelStrategy(c, { bucketBytes }));
      const reps = Array.from({ length: n }, () => makeModel(seed));
      for (let step = 0; step < 3; step++) {
        const numbers = reps.map(() => [Math.random() * 1e6, (Math.random() - 0.5) * 1e-3, Math.floor(Math.random() * 5000), -Math.random() * 300, 123456789.123 * Math.random()]);
        const outs = await Promise.all(strategies.map(async (s, r) => {
          const { x, y } = batch(seed + step * n + r, 8);
          const g = gradients(reps[r]!, x, y);
          const mine = await snapshot(g as Record<string, tf.Variable>);
          tf.dispose([x, y]);
          const out = await s.reduceStep!(g, numbers[r]!, { step, weight: 1 / n });
          return { mine, out };
        }));
        const want = numbers[0]!.map((_, i) => numbers.reduce((a, v) => a + v[i]!, 0));
        for (const { out } of outs) {
          out.numbers.forEach((v, i) => expect(Math.abs(v - want[i]!), `${wire} number ${i}`).toBeLessThan(wire === 'fp32' ? 1e-9 * n + 1e-15 * Math.abs(want[i]!) : 1e-9 * Math.max(1, Math.abs(want[i]!))));
          expect(out.numbers[2]).toBe(want[2]); // counts exactly
        }
        // The gradients are summed as given (already weighted): the sum of every rank's, fp16-rounded on that wire.
        for (const name of Object.keys(SHAPES)) {
          const got = await outs[0]!.out.grads[name]!.data();
          const sum = outs[0]!.mine[name]!.map((_, i) => outs.reduce((a, o) => a + o.mine[name]![i]!, 0));
          got.forEach((v, i) => expect(Math.abs(v - sum[i]!)).toBeLessThan(wire === 'fp32' ? 1e-5 : 2e-3 * Math.max(1, Math.abs(sum[i]!)) * n));
          expect(Array.from(await outs[n - 1]!.out.grads[name]!.data())).toEqual(Array.from(got)); // identical on every rank
        }
        tf.dispose(outs.flatMap((o) => Object.values(o.out.grads)));
      }
      await Promise.all(strategies.map((s) => s.teardown()));
    }
    await tf.setBackend('cpu');
  });

  it.each([false, true])('2 ranks with unequal shares of each global batch end with the weights of 1 rank on the whole batch (Adam, rank 0 state broadcast, shardOptimizer %s)', async (shardOptimizer) => {
    const K = 5;
    const global = 16;
    const split = 3 + Math.floor(Math.random() * 10); // rank 0 takes [0, split), rank 1 the rest
    const seed = Math.floor(Math.random() * 1e6);
    const ref = makeModel(seed);
    const reps = [makeModel(seed), makeModel(seed + 99)]; // rank 1 starts different: setup must fix it
    const cfg = { name: 'adam', lr: 0.05 };
    const refOpt = createOptimizer(ref, cfg);
    const opts: Optimizer[] = reps.map((v) => createOptimizer(v, cfg));
    // One warm-up step on rank 0 and the reference, so rank 0 has optimizer state to broadcast.
    const warm = batch(-1, global);
    for (const [v, opt] of [[ref, refOpt], [reps[0]!, opts[0]!]] as const) {
      const g = gradients(v, warm.x, warm.y);
      opt.applyGradients(g);
      tf.dispose(Object.values(g));
    }
    const collectives = InMemoryCollective.group(2);
    const bucketBytes = 64 + 4 * Math.floor(Math.random() * 40); // several buckets, random cut points
    const strategies: Strategy[] = collectives.map((c) => dataParallelStrategy(c, { bucketBytes, checkEvery: 2, shardOptimizer }));
    await Promise.all(strategies.map((s, r) => s.setup({ variables: reps[r]!, optimizer: opts[r]! })));
    expect(opts[1]!.iterations).toBe(1);

    for (let step = 0; step < K; step++) {
      const { x, y } = batch(step, global);
      const g = gradients(ref, x, y);
      refOpt.applyGradients(g);
      tf.dispose(Object.values(g));
      const shards = [
        { x: tf.slice(x, [0, 0], [split, 5]), y: tf.slice(y, [0], [split]), weight: split / global },
        { x: tf.slice(x, [split, 0], [global - split, 5]), y: tf.slice(y, [split], [global - split]), weight: (global - split) / global },
      ];
      await Promise.all(
        strategies.map(async (s, r) => {
          const sh = shards[r]!;
          const reduced = await s.reduceGradients(gradients(reps[r]!, sh.x as tf.Tensor2D, sh.y as tf.Tensor1D), { step, weight: sh.weight });
          opts[r]!.applyGradients(reduced);
          tf.dispose(Object.values(reduced));
          await s.afterStep({ variables: reps[r]!, optimizer: opts[r]! }, step);
        }),
      );
      tf.dispose([x, y, ...shards.flatMap((s) => [s.x, s.y])]);
    }
    const [a, b, want] = await Promise.all([snapshot(reps[0]!), snapshot(reps[1]!), snapshot(ref)]);
    for (const name of Object.keys(SHAPES)) {
      expect(b[name]).toEqual(a[name]); // replicas identical, bit for bit
      const diff = Math.max(...a[name]!.map((v, i) => Math.abs(v - want[name]![i]!)));
      expect(diff).toBeLessThan(2e-5);
    }
    // The weights moved: the test would notice a strategy that does nothing.
    const start = await snapshot(makeModel(seed));
    expect(Math.max(...a['l1/kernel']!.map((v, i) => Math.abs(v - start['l1/kernel']![i]!)))).toBeGreaterThan(1e-2);
    await Promise.all(strategies.map((s) => s.teardown()));
  });

  // cpu keeps the array given to tf.tensor (the strategy hands it copies), wasm copies it (the strategy hands it views).
  it.each(['cpu', 'wasm'] as const)('on %s, the reduced gradients stay intact after the next step reuses the fused buffer', async (backend) => {
    await initBackend({ backend, env: {} });
    const seed = Math.floor(Math.random() * 1e6);
    const reps = [makeModel(seed), makeModel(seed)];
    // The replicated update: every rank gets every reduced gradient (the sharded one is tested below).
    const strategies = InMemoryCollective.group(2).map((c) => dataParallelStrategy(c, { shardOptimizer: false }));
    await Promise.all(strategies.map((s, r) => s.setup({ variables: reps[r]!, optimizer: createOptimizer(reps[r]!, { name: 'sgd', lr: 0.1 }) })));
    const reduceStep = (step: number) =>
      Promise.all(strategies.map(async (s, r) => {
        const { x, y } = batch(step * 2 + r, 8);
        const g = gradients(reps[r]!, x, y);
        const want = Object.fromEntries(await Promise.all(Object.entries(g).map(async ([n, t]) => [n, Float32Array.from(await t.data())] as const)));
        tf.dispose([x, y]);
        return { reduced: await s.reduceGradients(g, { step, weight: 0.5 }), mine: want };
      }));
    const first = await reduceStep(0);
    const expected = Object.fromEntries(Object.keys(SHAPES).map((n) => [n, first[0]!.mine[n]!.map((v, i) => Math.fround(v * 0.5) + Math.fround(first[1]!.mine[n]![i]! * 0.5))]));
    const snapshotFirst = await Promise.all(first.map((f) => snapshot(f.reduced as Record<string, tf.Variable>)));
    const second = await reduceStep(1);
    for (const [r, f] of first.entries()) {
      for (const n of Object.keys(SHAPES)) {
        const now = await f.reduced[n]!.data();
        expect(Array.from(now)).toEqual(Array.from(snapshotFirst[r]![n]!)); // untouched by step 1
        now.forEach((v, i) => expect(Math.abs(v - expected[n]![i]!)).toBeLessThan(1e-6));
      }
    }
    tf.dispose([...first, ...second].flatMap((f) => Object.values(f.reduced)));
    await Promise.all(strategies.map((s) => s.teardown()));
    await tf.setBackend('cpu');
  });

  it('with the Trainer: all-reduce time is > 0 only with 2 ranks, includes waiting for a slow rank, and the split adds up', async () => {
    const delayMs = 20 + Math.floor(Math.random() * 11); // rank 1's data arrives this much later each step
    const steps = 6;
    const fit = async (worldSize: number) => {
      const seed = Math.floor(Math.random() * 1e6);
      const infos: BatchEndInfo[][] = Array.from({ length: worldSize }, () => []);
      const trainers = InMemoryCollective.group(worldSize).map((c, rank) => {
        const variables = makeModel(seed + rank);
        const model = mlpModel(variables);
        const train: BatchSource = {
          batchesPerEpoch: () => steps,
          getState: () => ({ epoch: 0, position: 0, seed, size: steps * 8 }),
          setState: () => {},
          async *epoch() {
            for (let i = 0; i < steps; i++) {
              if (rank === 1) await new Promise((r) => setTimeout(r, delayMs));
              const { x, y } = batch(i * worldSize + rank, 8);
              yield { inputs: { x }, labels: y, size: 8, epoch: 0, weight: 1 / worldSize, resumeState: { epoch: 0, position: (i + 1) * 8 * worldSize, seed, size: steps * 8 * worldSize } };
            }
          },
        };
        return new Trainer({
          model, train, epochs: 1, evalEvery: 0,
          optimizer: createOptimizer(variables, { name: 'adam', lr: 0.01 }),
          strategy: dataParallelStrategy(c),
          callbacks: [{ name: 'rec', onBatchEnd: (i) => void infos[rank]!.push(i) }],
        });
      });
      await Promise.all(trainers.map((t) => t.fit()));
      trainers.forEach((t) => t.model.dispose());
      return infos;
    };
    const [solo] = await fit(1);
    const [r0, r1] = await fit(2);
    for (const infos of [solo!, r0!, r1!]) {
      expect(infos).toHaveLength(steps);
      for (const { timings: t } of infos) {
        for (const v of [t.dataMs, t.computeMs, t.allReduceMs, t.optimizerMs]) expect(v).toBeGreaterThanOrEqual(0);
        expect(Math.abs(t.dataMs + t.computeMs + t.allReduceMs + t.optimizerMs - t.totalMs)).toBeLessThan(1e-6 * t.totalMs + 1e-9);
      }
    }
    for (const { timings: t } of solo!) expect(t.allReduceMs).toBe(0);
    for (const { timings: t } of [...r0!, ...r1!]) expect(t.allReduceMs).toBeGreaterThan(0);
    // Rank 0 is ready first and waits inside the all-reduce for rank 1's late batch (not in its data
    // wait). Both ranks share one thread here, so rank 0's own compute overlaps part of rank 1's delay:
    // the bound is half the delay, far above the sub-millisecond all-reduce of a balanced step.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(r0!.slice(1).map((i) => i.timings.allReduceMs))).toBeGreaterThanOrEqual(delayMs / 2);
    expect(mean(r1!.slice(1).map((i) => i.timings.dataMs))).toBeGreaterThanOrEqual(delayMs - 1);
  });

  it('reduceNumbers combines plain numbers in float64 on every rank', async () => {
    const n = 3;
    const strategies = InMemoryCollective.group(n).map((c) => dataParallelStrategy(c));
    const values = Array.from({ length: n }, () => [Math.random() * 1e6, Math.random() - 0.5, 1 + Math.random()]);
    for (const op of ['sum', 'mean', 'max', 'min'] as const) {
      const outs = await Promise.all(strategies.map((s, r) => s.reduceNumbers(values[r]!, op)));
      const want = [0, 1, 2].map((i) => {
        const col = values.map((v) => v[i]!);
        const sum = col.reduce((x, y) => x + y, 0);
        return op === 'sum' ? sum : op === 'mean' ? sum / n : op === 'max' ? Math.max(...col) : Math.min(...col);
      });
      for (const out of outs) out.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(want[i]!))));
    }
  });

  it('afterStep names the rank whose replica diverged', async () => {
    const seed = Math.floor(Math.random() * 1e6);
    const reps = [makeModel(seed), makeModel(seed), makeModel(seed)];
    const opts = reps.map((v) => createOptimizer(v, { name: 'sgd', lr: 0.1 }));
    const strategies = InMemoryCollective.group(3).map((c) => dataParallelStrategy(c, { checkEvery: 3 }));
    await Promise.all(strategies.map((s, r) => s.setup({ variables: reps[r]!, optimizer: opts[r]! })));
    const bad = Math.floor(Math.random() * 3);
    const v = reps[bad]!['l2/bias']!;
    v.assign(tf.add(v, 1e-3));
    // Steps 0 and 1 are not checked; step 2 is (K = 3).
    await Promise.all(strategies.map((s, r) => s.afterStep({ variables: reps[r]!, optimizer: opts[r]! }, 1)));
    const results = await Promise.allSettled(strategies.map((s, r) => s.afterStep({ variables: reps[r]!, optimizer: opts[r]! }, 2)));
    for (const res of results) {
      expect(res.status).toBe('rejected');
      const reason = (res as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(DistributedError);
      expect(reason.message).toContain(bad === 0 ? 'ranks 1, 2 diverged' : `rank ${bad} diverged`);
    }
  });
});
