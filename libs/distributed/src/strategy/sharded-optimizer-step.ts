import * as tf from '@tensorflow/tfjs-core';
import { DistributedError } from '@omnitrain/core';
import type { NamedGradients, Optimizer } from '@omnitrain/optim';
import type { CallOptions, Collective } from '../collective/collective.js';
import { gatherOptimizerState, keepOwnedOptimizerState } from './optimizer-state-shards.js';
import { readTensorInto } from './read-tensor-into.js';
import { planShards } from './shard-plan.js';
import type { ShardPlan } from './shard-plan.js';

/** What {@link shardedOptimizerStep} hands back from a reduction. */
export interface ShardedReduction {
  /** Summed gradients of the variables this rank updates (the caller disposes them). */
  readonly grads: NamedGradients;
  /** This rank's reduced chunk; its `extra` floats start at `extraAt`. */
  readonly chunk: Float32Array;
  readonly extraAt: number;
}

/** The ZeRO-1 pieces of the data-parallel strategy, see {@link shardedOptimizerStep}. */
export interface ShardedOptimizerStep {
  /**
   * Sums `grads` x `weight` over the ranks with one reduce-scatter: each rank gets only the sums of
   * the variables it owns (whole variables, balanced by size), plus `extra` floats every rank wrote
   * into its own copy (`writeExtra(buffer, at)` fills each rank's copy). Disposes `grads`. The first
   * call (and a call with other names or shapes) shards the optimizer state to match.
   */
  reduce(grads: NamedGradients, weight: number, extra: number, writeExtra: ((buf: Float32Array, at: number) => void) | undefined, optimizer: Optimizer): Promise<ShardedReduction>;
  /** After this rank's optimizer updated its own variables: all-gathers the updated weights, so every rank ends the step with identical variables. */
  gatherWeights(variables: Readonly<Record<string, tf.Variable>>): Promise<void>;
  /** Makes every rank's optimizer hold the whole state (before a checkpoint); the next `reduce` shards it again. */
  gatherState(optimizer: Optimizer): Promise<void>;
  /** The optimizer now holds the whole state on every rank (after setup's broadcast or a checkpoint load). */
  markWhole(): void;
}

/**
 * The sharded optimizer update (ZeRO stage 1) for N ranks: reduce-scatter the packed gradients
 * (chunks aligned to whole variables), every rank applies its optimizer to the variables it owns
 * only, then all-gathers the updated weights. The same bytes travel as a ring all-reduce
 * (reduce-scatter + all-gather), but each rank runs 1/N of the optimizer and keeps 1/N of its state.
 *
 * @param collective The ranks.
 * @param call Deadline of each collective call.
 * @param copiesValues Whether `tf.tensor` copies the array it gets (wasm) or keeps it (cpu): views of the reused buffers, else copies.
 * @example
 * const sharded = shardedOptimizerStep(collective, { deadlineMs: 60_000 }, () => true); // wasm copies tensor values
 * const { grads } = await sharded.reduce(localGrads, 0.5, 0, undefined, optimizer);
 * optimizer.applyGradients(grads); // this rank's variables only
 * await sharded.gatherWeights(model.variables);
 */
export function shardedOptimizerStep(collective: Collective, call: CallOptions, copiesValues: () => boolean): ShardedOptimizerStep {
  let layout: { plan: ShardPlan; buffer: Float32Array; own: Float32Array } | undefined;
  let owners: ShardPlan | undefined; // the plan the optimizer state is sharded by; undefined = whole everywhere
  let pending: ShardPlan | undefined; // a reduction whose weights are not gathered yet

  const ownerOf = (plan: ShardPlan) => (param: string) => plan.owner.get(param);
  const toTensor = (view: Float32Array, shape: number[]): tf.Tensor => tf.tensor(copiesValues() ? view : view.slice(), shape);

  return {
    async reduce(grads, weight, extra, writeExtra, optimizer) {
      try {
        if (pending) {
          throw new DistributedError({
            op: 'dataParallelStrategy.reduce',
            expected: 'afterStep after every optimizer step (it all-gathers the sharded update)',
            received: `a reduction at step ${collective.step} while the previous step's weights were not gathered`,
            where: `rank ${collective.rank}`,
            hint: 'call strategy.afterStep(ctx, step) after optimizer.applyGradients',
          });
        }
        const entries = Object.keys(grads).sort().map((name) => ({ name, shape: grads[name]!.shape }));
        const plan = planShards(entries, collective.worldSize, extra);
        if (layout?.plan.key !== plan.key || layout.plan.extra !== extra) {
          const owned = plan.ranks[collective.rank]!;
          layout = { plan, buffer: new Float32Array(plan.total), own: new Float32Array(owned.count - extra) };
        }
        const { plan: p, buffer } = layout;
        if (owners?.key !== p.key) {
          // The optimizer state follows the owners: whole everywhere first when another plan sharded it.
          if (owners !== undefined) await gatherOptimizerState(collective, optimizer, call, ownerOf(owners));
          // State of parameters outside the plan (frozen now) stays on every rank: identical, untouched until they train again.
          keepOwnedOptimizerState(optimizer, (name) => !p.owner.has(name) || p.owner.get(name) === collective.rank);
          owners = p;
        }
        for (const r of p.ranks) {
          for (const s of r.slices) await readTensorInto(grads[s.name]!, buffer, s.offset, weight);
          writeExtra?.(buffer, r.extraAt);
        }
        const mine = p.ranks[collective.rank]!;
        // This rank's chunk, summed over the ranks (a view of `buffer`, reused next step: tensors copy it).
        const chunk = await collective.reduceScatter(buffer, 'sum', { ...call, counts: p.ranks.map((r) => r.count) });
        const out: Record<string, tf.Tensor> = {};
        for (const s of mine.slices) out[s.name] = toTensor(chunk.subarray(s.offset - mine.offset, s.offset - mine.offset + s.size), s.shape);
        pending = p;
        return { grads: out, chunk, extraAt: mine.extraAt - mine.offset };
      } finally {
        tf.dispose(Object.values(grads));
      }
    },

    async gatherWeights(variables) {
      const p = pending;
      if (!p || !layout) return;
      pending = undefined;
      const mine = p.ranks[collective.rank]!;
      const own = layout.own;
      for (const s of mine.slices) await readTensorInto(variables[s.name]!, own, s.offset - mine.offset);
      const all = await collective.allGather(own, call);
      p.ranks.forEach((r, rank) => {
        if (rank === collective.rank) return;
        for (const s of r.slices) {
          const t = toTensor(all[rank]!.subarray(s.offset - r.offset, s.offset - r.offset + s.size), s.shape);
          variables[s.name]!.assign(t);
          t.dispose();
        }
      });
    },

    async gatherState(optimizer) {
      if (owners === undefined) return;
      await gatherOptimizerState(collective, optimizer, call, ownerOf(owners));
      owners = undefined;
    },

    markWhole() {
      owners = undefined;
      pending = undefined;
    },
  };
}
