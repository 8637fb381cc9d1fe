import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@omnitrain/core';
import { EpochSampler, epochPermutation, shardRange } from '@omnitrain/data';
import type { RankBatch, SamplerState } from '@omnitrain/data';

const rand = (n: number) => Math.floor(Math.random() * n);

interface Run {
  size: number;
  batchSize: number;
  seed: number;
  dropLast: boolean;
}

/** Starts (or resumes) every rank of a world, as each worker process would. */
function world(run: Run, worldSize: number, state?: SamplerState): EpochSampler[] {
  const { size, batchSize, seed, dropLast } = run;
  return Array.from({ length: worldSize }, (_, rank) =>
    state
      ? EpochSampler.fromState(JSON.parse(JSON.stringify(state)), { size, batchSize, dropLast, rank, worldSize })
      : new EpochSampler({ size, batchSize, seed, dropLast, rank, worldSize }),
  );
}

/** One training step on every rank; checks the ranks agree and returns the global batch in rank order. */
function step(samplers: EpochSampler[]): { batches: RankBatch[]; global: number[] } {
  const batches = samplers.map((s) => s.next());
  const [first] = batches as [RankBatch];
  for (const [rank, b] of batches.entries()) {
    expect([b.epoch, b.start, b.globalSize]).toEqual([first.epoch, first.start, first.globalSize]);
    expect(b.resumeState).toEqual(first.resumeState);
    expect(b.counts).toEqual(batches.map((x) => x.indices.length));
    expect(b.indices.length).toBe(shardRange(b.globalSize, rank, samplers.length).count);
    expect(b.weight).toBeCloseTo(b.indices.length / b.globalSize, 15);
  }
  expect(first.counts.reduce((a, c) => a + c, 0)).toBe(first.globalSize);
  return { batches, global: batches.flatMap((b) => [...b.indices]) };
}

/** What each epoch must visit, in order: the permutation, less the last partial batch with dropLast. */
function expectedEpoch(run: Run, epoch: number): number[] {
  const visited = run.dropLast ? Math.floor(run.size / run.batchSize) * run.batchSize : run.size;
  return [...epochPermutation(run.size, run.seed, epoch)].slice(0, visited);
}

describe('EpochSampler', () => {
  it('visits each epoch exactly once, in permutation order, across restarts with changing world sizes', () => {
    for (let trial = 0; trial < 150; trial++) {
      const run: Run = { size: 1 + rand(120), batchSize: 1 + rand(40), seed: rand(2 ** 31), dropLast: Math.random() < 0.5 };
      if (run.dropLast && run.batchSize > run.size) run.batchSize = 1 + rand(run.size);
      const seen = new Map<number, number[]>();
      let samplers = world(run, 1 + rand(8));
      const perEpoch = samplers[0]!.batchesPerEpoch();
      for (let restart = 0; restart < 4; restart++) {
        const steps = rand(2 * perEpoch + 2); // stop anywhere, including across epoch ends
        for (let k = 0; k < steps; k++) {
          const { batches, global } = step(samplers);
          const epoch = batches[0]!.epoch;
          seen.set(epoch, [...(seen.get(epoch) ?? []), ...global]);
        }
        const states = samplers.map((s) => s.getState());
        for (const s of states) expect(s).toEqual(states[0]);
        samplers = world(run, 1 + rand(8), states[0]); // e.g. 4 -> 3 -> 2 workers
      }
      const current = samplers[0]!.epoch;
      for (const [epoch, visited] of seen) {
        const expected = expectedEpoch(run, epoch);
        if (epoch < current) expect(visited).toEqual(expected); // no repeat, no skip, same order
        else expect(visited).toEqual(expected.slice(0, visited.length)); // a prefix of the epoch so far
      }
      expect([...seen.keys()].every((e) => e <= current)).toBe(true);
      for (let e = 0; e < current; e++) expect(seen.has(e), `epoch ${e} was skipped`).toBe(true);
    }
  });

  it('continues with exactly the next batch after a restart with the same world size', () => {
    for (let trial = 0; trial < 40; trial++) {
      const run: Run = { size: 1 + rand(90), batchSize: 1 + rand(16), seed: rand(2 ** 31), dropLast: false };
      const worldSize = 1 + rand(5);
      const total = 1 + rand(30);
      const straight = world(run, worldSize);
      const uninterrupted = Array.from({ length: total }, () => step(straight).batches);
      const stopAt = rand(total);
      let resumed = world(run, worldSize);
      const replay = Array.from({ length: stopAt }, () => step(resumed).batches);
      // with prefetching the sampler runs ahead; what is checkpointed is the last trained batch's state
      const saved = stopAt === 0 ? resumed[0]!.getState() : replay[stopAt - 1]![0]!.resumeState;
      for (let ahead = rand(3); ahead > 0; ahead--) step(resumed);
      resumed = world(run, worldSize, saved);
      const rest = Array.from({ length: total - stopAt }, () => step(resumed).batches);
      expect([...replay, ...rest]).toEqual(uninterrupted);
    }
  });

  it('splits uneven global batches, drops the last one with dropLast, and gives empty parts to spare ranks', () => {
    const samplers = world({ size: 10, batchSize: 4, seed: 9, dropLast: false }, 3);
    const epoch = [0, 1, 2].map(() => samplers.map((s) => s.next()));
    expect(epoch.map((b) => b[0]!.counts)).toEqual([[2, 1, 1], [2, 1, 1], [1, 1, 0]]);
    expect(epoch[2]![2]!.weight).toBe(0);
    expect(samplers[0]!.getState()).toEqual({ epoch: 1, position: 0, seed: 9, size: 10 });
    const dropping = new EpochSampler({ size: 10, batchSize: 4, seed: 9, dropLast: true });
    expect(dropping.batchesPerEpoch()).toBe(2);
    expect([...dropping.epochBatches()].map((b) => b.start)).toEqual([0, 4]);
    expect(dropping.getState()).toEqual({ epoch: 1, position: 0, seed: 9, size: 10 });
    expect([...new EpochSampler({ size: 5, batchSize: 2, shuffle: false, rank: undefined }).epochBatches()].map((b) => [...b.indices])).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
  });

  it('refuses a malformed state, a changed dataset and impossible options', () => {
    const opts = { size: 10, batchSize: 4 };
    expect(() => EpochSampler.fromState({ epoch: 0, position: 11, seed: 1, size: 10 }, opts)).toThrow(ConfigError);
    expect(() => EpochSampler.fromState({ epoch: 0, position: 2, seed: 1, size: 12 }, opts)).toThrow(DataError);
    expect(() => EpochSampler.fromState({ epoch: 0, position: 2, seed: 1, size: 12 }, opts)).toThrow(
      /expected a dataset of 12 samples, as when the state was saved, got 10 samples/,
    );
    expect(() => new EpochSampler({ size: 3, batchSize: 4, dropLast: true })).toThrow(/an epoch would have no batch/);
    expect(() => new EpochSampler({ size: 0, batchSize: 4 })).toThrow(ConfigError);
    expect(() => new EpochSampler({ ...opts, rank: 2, worldSize: 2 })).toThrow(ConfigError);
    const atEnd = EpochSampler.fromState({ epoch: 3, position: 10, seed: 1, size: 10 }, opts);
    expect(atEnd.getState()).toEqual({ epoch: 4, position: 0, seed: 1, size: 10 });
  });
});
