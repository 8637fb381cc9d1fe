import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError, DistributedError } from '@omnitrain/core';
import type { ReduceInfo, ReduceOp, Strategy, StrategyContext } from '@omnitrain/engine';
import type { NamedGradients, Optimizer, OptimizerState } from '@omnitrain/optim';
import type { Collective } from '../collective/collective.js';
import { readTensorInto } from './read-tensor-into.js';
import { shardedOptimizerStep } from './sharded-optimizer-step.js';
import { readSummedNumbers, summableNumberSlots, writeSummableNumbers } from './summable-numbers.js';

/**
 * Whether the optimizer update is sharded by default. Measured quiet with `node tools/bench/scaling.mjs
 * --models mlp,gru --shard-optimizer both` (2 workers, db90489): sharded mlp 42% vs replicated 75%
 * efficiency, gru 70% vs 91%: the all-gather of the weights (one message per rank into a new array)
 * costs more than the duplicated optimizer work it saves (0.6-2.5 ms per step); off.
 */
const SHARD_OPTIMIZER_DEFAULT = false;

/** The schema of {@link DataParallelOptions}. */
export const dataParallelOptionsSchema = z.strictObject({
  bucketBytes: z.number().int().min(4).default(16 * 2 ** 20).describe('Gradients are fused into buckets of about this many bytes (fixed name order), one all-reduce each. Default 16 MiB.'),
  checkEvery: z.number().int().min(0).default(100).describe('Every K steps, check that all replicas hold identical variables (checksum all-gather); 0 = never. Default 100.'),
  deadlineMs: z.number().int().min(1).default(300_000).describe('Deadline of each collective call of the strategy. Default 300000.'),
  closeCollective: z.boolean().default(true).describe('teardown closes the collective. Default true.'),
  shardOptimizer: z
    .boolean()
    .default(SHARD_OPTIMIZER_DEFAULT)
    .describe(
      'ZeRO-1: reduce-scatter the gradients (whole variables per rank, balanced by size), each rank updates and keeps optimizer state for its own variables only, then the updated weights are all-gathered. The same bytes on the wire as an all-reduce (reduce-scatter + all-gather); 1/N of the optimizer work and state per rank. Off (replicated update) when the optimizer clips by global norm. Default ' +
        String(SHARD_OPTIMIZER_DEFAULT) +
        '.',
    ),
});

/** Options of {@link dataParallelStrategy}. */
export type DataParallelOptions = z.input<typeof dataParallelOptionsSchema>;

/** A tensor's place inside a fused buffer. */
interface Slice {
  readonly name: string;
  readonly shape: number[];
  readonly offset: number;
  readonly size: number;
}

/** Groups `(name, size)` in the given order into buckets of about `bucketElements` elements. */
function planBuckets(entries: ReadonlyArray<{ name: string; shape: number[] }>, bucketElements: number): Slice[][] {
  const buckets: Slice[][] = [];
  let current: Slice[] = [];
  let filled = 0;
  for (const { name, shape } of entries) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (filled > 0 && filled + size > bucketElements) {
      buckets.push(current);
      current = [];
      filled = 0;
    }
    current.push({ name, shape, offset: filled, size });
    filled += size;
  }
  if (current.length) buckets.push(current);
  return buckets;
}

const bucketLength = (b: Slice[]): number => (b.length ? b[b.length - 1]!.offset + b[b.length - 1]!.size : 0);
const sortedNames = (o: object): string[] => Object.keys(o).sort();

/** FNV-1a of a float array's bits, as two exact 16-bit halves (so a float32 all-gather carries it losslessly). */
function checksum(parts: Float32Array[]): [number, number] {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const u = new Uint32Array(p.buffer, p.byteOffset, p.length);
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i]!, 0x01000193);
  }
  return [h >>> 16, h & 0xffff];
}

/**
 * The data-parallel {@link Strategy}: every rank trains on its share of each global batch; gradients
 * are scaled by the rank's share, fused into buckets in sorted-name order (the same on every rank),
 * summed over the ranks with `collective.allReduce`, and every rank applies the same update with its
 * own optimizer (any optimizer: the strategy wraps, never replaces it). `reduceStep` (what the
 * Trainer calls) makes it one collective call per step for models up to `bucketBytes`: the step's
 * metric counts ride in the last bucket. Gradients are read where the backend keeps them (the wasm
 * heap) straight into reused bucket buffers. `setup` copies rank 0's variables and optimizer state
 * everywhere; every `checkEvery` steps `afterStep` checks that the replicas are still identical and
 * names the rank that diverged. Knows Collective, never ZeroMQ.
 *
 * With `shardOptimizer` (ZeRO-1) each rank owns whole variables (balanced by size): `reduceStep` /
 * `reduceGradients` reduce-scatter the gradients and return only the owned ones (the optimizer
 * updates those and keeps state for those only), `afterStep` all-gathers the updated weights, and
 * `barrier` first gathers the whole optimizer state (what a checkpoint right after it reads). It
 * starts with `setup` (which needs the optimizer) and stays off when the optimizer clips by global norm.
 *
 * @param collective The ranks to average over (ZmqCollective, InMemoryCollective, ...).
 * @param options Bucket size, replica check interval, deadline (see `dataParallelOptionsSchema`).
 * @throws ConfigError for invalid options.
 * @example
 * const strategy = dataParallelStrategy(await ZmqCollective.fromEnv(), { checkEvery: 50 });
 * await strategy.setup({ variables: model.variables, optimizer });
 * const grads = await strategy.reduceGradients(localGrads, { step, weight: batch.weight });
 * // or, one exchange with the step's counts (gradients of weight x loss):
 * // const { grads, numbers } = await strategy.reduceStep!(weightedGrads, [lossSum, correct, size], { step, weight });
 * optimizer.applyGradients(grads);
 * await strategy.afterStep({ variables: model.variables, optimizer }, step);
 */
export function dataParallelStrategy(collective: Collective, options: DataParallelOptions = {}): Strategy {
  const parsed = dataParallelOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      { op: 'dataParallelStrategy', expected: 'valid options', received: `${parsed.error.issues.length} issue(s)` },
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const o = parsed.data;
  const call = { deadlineMs: o.deadlineMs };
  const bucketElements = Math.max(1, Math.floor(o.bucketBytes / 4));
  let tornDown = false;
  // The gradient buckets and their fused buffers, planned on the first step and reused every step
  // (a fresh multi-MiB array per step costs page faults on every byte: ~5 ms per 2.7 MB under load).
  let fused: { key: string; buckets: Slice[][]; buffers: Float32Array[] } | undefined;
  let copiesValues: boolean | undefined;
  // Whether the metric numbers can ride in the gradient all-reduce (false once a lossy wire showed).
  let numbersInBucket = true;
  // ZeRO-1: on once setup gave the optimizer (and it does not clip by global norm).
  const sharded = shardedOptimizerStep(collective, call, () => tensorsCopyTheirValues());
  let shardWith: Optimizer | undefined;

  /**
   * The bucket plan of these gradients' names and shapes (sorted-name order), cached while they stay
   * the same; the last buffer has `extra` floats after its gradients.
   */
  function fusedLayout(grads: NamedGradients, extra: number): { buckets: Slice[][]; buffers: Float32Array[] } {
    const entries = sortedNames(grads).map((name) => ({ name, shape: grads[name]!.shape }));
    const key = `${extra}:${JSON.stringify(entries)}`;
    if (fused?.key !== key) {
      const buckets = planBuckets(entries, bucketElements);
      if (buckets.length === 0 && extra > 0) buckets.push([]); // numbers without gradients still travel
      fused = { key, buckets, buffers: buckets.map((b, i) => new Float32Array(bucketLength(b) + (i === buckets.length - 1 ? extra : 0))) };
    }
    return fused;
  }

  /**
   * Sums `grads` x `weight` over the ranks, bucket by bucket (`numbers`, when given, written after the
   * last bucket's gradients); disposes `grads`. Resolves with the reduced gradients, the last buffer
   * and where its numbers start.
   */
  async function allReduceGradients(grads: NamedGradients, weight: number, numbers: readonly number[] | undefined): Promise<{ out: NamedGradients; last: Float32Array; at: number }> {
    const out: Record<string, tf.Tensor> = {};
    try {
      const { buckets, buffers } = fusedLayout(grads, numbers ? summableNumberSlots(numbers.length) : 0);
      const keepViews = tensorsCopyTheirValues();
      for (let b = 0; b < buckets.length; b++) {
        const bucket = buckets[b]!;
        const buf = buffers[b]!;
        for (const s of bucket) await readTensorInto(grads[s.name]!, buf, s.offset, weight);
        if (numbers && b === buckets.length - 1) writeSummableNumbers(numbers, buf, bucketLength(bucket));
        await collective.allReduce(buf, 'sum', call);
        for (const s of bucket) {
          const view = buf.subarray(s.offset, s.offset + s.size);
          // The fused buffer is refilled next step: hand a view to a backend that copies it on upload, a copy to one that keeps it.
          out[s.name] = tf.tensor(keepViews ? view : view.slice(), s.shape);
        }
      }
      const lastBucket = buckets[buckets.length - 1];
      return { out, last: buffers[buffers.length - 1] ?? new Float32Array(0), at: lastBucket ? bucketLength(lastBucket) : 0 };
    } catch (e) {
      tf.dispose(Object.values(out));
      throw e;
    } finally {
      tf.dispose(Object.values(grads));
    }
  }

  /**
   * Whether the active backend copies the values given to `tf.tensor` (wasm, webgl, tensorflow) or
   * keeps the array itself (cpu): probed once, so views of the reused buffer never alias a tensor.
   */
  function tensorsCopyTheirValues(): boolean {
    if (copiesValues === undefined) {
      const values = Float32Array.of(1);
      const t = tf.tensor(values, [1]);
      values[0] = 2;
      copiesValues = t.dataSync()[0] === 1;
      t.dispose();
    }
    return copiesValues;
  }

  /** Broadcasts named float tensors from rank 0 in fixed order; resolves with the received arrays. */
  async function broadcastTensors(entries: Array<{ name: string; shape: number[]; data?: Float32Array }>): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const bucket of planBuckets(entries, bucketElements)) {
      const buf = new Float32Array(bucketLength(bucket));
      if (collective.rank === 0) for (const s of bucket) buf.set(entries.find((e) => e.name === s.name)!.data!, s.offset);
      await collective.broadcast(buf, 0, call);
      for (const s of bucket) out.set(s.name, buf.subarray(s.offset, s.offset + s.size));
    }
    return out;
  }

  /** Broadcasts a JSON value from rank 0. */
  async function broadcastJson<T>(value: T | undefined): Promise<T> {
    const bytes = collective.rank === 0 ? new TextEncoder().encode(JSON.stringify(value)) : new Uint8Array(0);
    const size = Float32Array.of(bytes.length);
    await collective.broadcast(size, 0, call);
    const buf = collective.rank === 0 ? bytes : new Uint8Array(size[0]!);
    await collective.broadcast(buf, 0, call);
    return JSON.parse(new TextDecoder().decode(buf)) as T;
  }

  /** Each number travels as float32 hi + lo parts (an all-gather) and is combined in float64, in rank order, on every rank. */
  async function reduceNumbers(values: readonly number[], op: ReduceOp): Promise<number[]> {
    const mine = new Float32Array(values.length * 2);
    values.forEach((v, i) => {
      mine[2 * i] = Math.fround(v);
      mine[2 * i + 1] = v - Math.fround(v);
    });
    const all = await collective.allGather(mine, call);
    return values.map((_, i) => {
      const vs = all.map((a) => a[2 * i]! + a[2 * i + 1]!);
      if (op === 'max') return Math.max(...vs);
      if (op === 'min') return Math.min(...vs);
      const sum = vs.reduce((a, b) => a + b, 0);
      return op === 'mean' ? sum / vs.length : sum;
    });
  }

  return {
    name: 'data-parallel',
    rank: collective.rank,
    worldSize: collective.worldSize,
    isChief: collective.rank === 0,

    async setup(ctx: StrategyContext): Promise<void> {
      const names = sortedNames(ctx.variables);
      const layout = names.map((name) => ({ name, shape: ctx.variables[name]!.shape, dtype: ctx.variables[name]!.dtype }));
      const rootLayout = await broadcastJson(collective.rank === 0 ? layout : undefined);
      if (JSON.stringify(rootLayout) !== JSON.stringify(layout)) {
        const bad = rootLayout.find((v, i) => JSON.stringify(v) !== JSON.stringify(layout[i])) ?? rootLayout[layout.length];
        throw new DistributedError({
          op: 'dataParallelStrategy.setup',
          expected: `the same variables as rank 0 (${rootLayout.length} variables)`,
          received: `${layout.length} variables, first difference at ${JSON.stringify(bad)}`,
          where: `rank ${collective.rank}`,
          hint: 'every rank must build the same model',
        });
      }
      const weights = await broadcastTensors(
        await Promise.all(layout.map(async (v) => ({ ...v, data: collective.rank === 0 ? Float32Array.from(await ctx.variables[v.name]!.data()) : undefined }))),
      );
      if (collective.rank !== 0) {
        for (const v of layout) {
          const t = tf.tensor(weights.get(v.name)!, v.shape, v.dtype);
          ctx.variables[v.name]!.assign(t);
          t.dispose();
        }
      }
      // The optimizer state: rank 0's meta and slot tensors, imported everywhere else.
      const state: OptimizerState | undefined = collective.rank === 0 ? ctx.optimizer.exportState() : undefined;
      try {
        const slotNames = state ? sortedNames(state.tensors) : [];
        const spec = await broadcastJson(state ? { meta: state.meta, slots: slotNames.map((n) => ({ name: n, shape: state.tensors[n]!.shape })) } : undefined);
        const slots = await broadcastTensors(
          await Promise.all(spec.slots.map(async (s) => ({ ...s, data: state ? Float32Array.from(await state.tensors[s.name]!.data()) : undefined }))),
        );
        if (collective.rank !== 0) {
          const tensors: tf.NamedTensorMap = {};
          for (const s of spec.slots) tensors[s.name] = tf.tensor(slots.get(s.name)!, s.shape);
          try {
            ctx.optimizer.importState({ tensors, meta: spec.meta });
          } finally {
            tf.dispose(tensors);
          }
        }
      } finally {
        if (state) tf.dispose(state.tensors);
      }
      // Every rank holds the whole optimizer state now; the first sharded step keeps each rank's share.
      sharded.markWhole();
      shardWith = o.shardOptimizer && collective.worldSize > 1 && ctx.optimizer.getConfig()['clipNorm'] === undefined ? ctx.optimizer : undefined;
    },

    async reduceGradients(grads: NamedGradients, info: ReduceInfo): Promise<NamedGradients> {
      collective.step = info.step;
      if (shardWith) return (await sharded.reduce(grads, info.weight, 0, undefined, shardWith)).grads;
      return (await allReduceGradients(grads, info.weight, undefined)).out;
    },

    async reduceStep(weightedGrads: NamedGradients, numbers: readonly number[], info: ReduceInfo): Promise<{ grads: NamedGradients; numbers: number[] }> {
      collective.step = info.step;
      const withNumbers = numbersInBucket ? numbers : undefined;
      const { out, last, at } = shardWith
        ? await sharded
            .reduce(weightedGrads, 1, withNumbers ? summableNumberSlots(numbers.length) : 0, withNumbers && ((buf, where) => writeSummableNumbers(numbers, buf, where)), shardWith)
            .then((r) => ({ out: r.grads, last: r.chunk, at: r.extraAt }))
        : await allReduceGradients(weightedGrads, 1, withNumbers);
      let sums = numbersInBucket ? readSummedNumbers(last, at, numbers.length, collective.worldSize) : undefined;
      if (!sums) {
        // A lossy wire (float16) changed the numbers: every rank saw the same bits and goes this way from now on.
        numbersInBucket = false;
        try {
          sums = await reduceNumbers(numbers, 'sum');
        } catch (e) {
          tf.dispose(Object.values(out));
          throw e;
        }
      }
      return { grads: out, numbers: sums };
    },

    reduceNumbers,

    async afterStep(ctx: StrategyContext, step: number): Promise<void> {
      await sharded.gatherWeights(ctx.variables);
      collective.step = step + 1;
      if (o.checkEvery === 0 || (step + 1) % o.checkEvery !== 0) return;
      const parts = await Promise.all(sortedNames(ctx.variables).map(async (n) => Float32Array.from(await ctx.variables[n]!.data())));
      const sums = await collective.allGather(Float32Array.from(checksum(parts)), call);
      const ref = sums[0]!;
      const diverged = sums.map((s, r) => (s[0] !== ref[0] || s[1] !== ref[1] ? r : -1)).filter((r) => r >= 0);
      if (diverged.length) {
        throw new DistributedError({
          op: 'dataParallelStrategy.afterStep',
          expected: 'identical variables on every replica',
          received: `rank${diverged.length > 1 ? 's' : ''} ${diverged.join(', ')} diverged from rank 0 (checksum after step ${step})`,
          where: `rank ${collective.rank}, step ${step}`,
          hint: 'a rank applied a different update: non-deterministic kernels, a skipped step, or memory corruption; restart from the last checkpoint',
        });
      }
    },

    async barrier(label: string): Promise<void> {
      // A checkpoint reads the chief's optimizer right after a barrier: make its state whole first.
      if (shardWith) await sharded.gatherState(shardWith);
      await collective.barrier(label, call);
    },

    async teardown(): Promise<void> {
      if (tornDown) return;
      tornDown = true;
      if (o.closeCollective) await collective.close();
    },
  };
}
