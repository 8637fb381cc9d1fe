// N in-process replicas whose strategies meet through shared memory: a data-parallel stand-in
// that checks the Trainer's side of the Strategy contract (weights, order, barriers) in one process.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients } from '@omnitrain/optim';
import type { ReduceOp, Strategy } from '@omnitrain/engine';

interface Round {
  values: unknown[];
  arrived: number;
  done: Promise<unknown[]>;
  resolve: (v: unknown[]) => void;
}

/** One Strategy per rank; each collective call waits (with a 10 s deadline) for every rank's call. */
export function inMemoryGroup(worldSize: number): Strategy[] {
  const rounds = new Map<number, Round>();
  const meet = async (rank: number, seq: number, value: unknown): Promise<unknown[]> => {
    let round = rounds.get(seq);
    if (!round) {
      let resolve!: (v: unknown[]) => void;
      const done = new Promise<unknown[]>((r) => (resolve = r));
      round = { values: new Array(worldSize), arrived: 0, done, resolve };
      rounds.set(seq, round);
    }
    round.values[rank] = value;
    round.arrived += 1;
    if (round.arrived === worldSize) {
      rounds.delete(seq);
      round.resolve(round.values);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`rank ${rank}: collective #${seq} timed out`)), 10_000)));
    try {
      return await Promise.race([round.done, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
  return Array.from({ length: worldSize }, (_, rank) => {
    let seq = 0;
    const strategy: Strategy & { barriers: string[] } = {
      name: 'in-memory',
      rank,
      worldSize,
      isChief: rank === 0,
      barriers: [],
      setup: async () => void (await meet(rank, seq++, 'setup')),
      async reduceGradients(grads: NamedGradients, info) {
        const mine = Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, { shape: g.shape, data: Float32Array.from(g.dataSync(), (v) => v * info.weight) }]));
        tf.dispose(Object.values(grads));
        const all = (await meet(rank, seq++, mine)) as (typeof mine)[];
        return Object.fromEntries(Object.keys(mine).map((n) => {
          const sum = new Float32Array(mine[n]!.data.length);
          for (const r of all) r[n]!.data.forEach((v, i) => (sum[i]! += v));
          return [n, tf.tensor(sum, mine[n]!.shape)];
        }));
      },
      async reduceNumbers(values: readonly number[], op: ReduceOp) {
        const all = (await meet(rank, seq++, [...values])) as number[][];
        return values.map((_, i) => {
          const col = all.map((v) => v[i]!);
          return op === 'sum' ? col.reduce((a, b) => a + b) : op === 'mean' ? col.reduce((a, b) => a + b) / worldSize : op === 'max' ? Math.max(...col) : Math.min(...col);
        });
      },
      afterStep: async () => undefined,
      async barrier(label: string) {
        strategy.barriers.push(label);
        const labels = await meet(rank, seq++, label);
        if (new Set(labels).size !== 1) throw new Error(`rank ${rank}: barrier labels differ: ${labels.join(', ')}`);
      },
      teardown: async () => undefined,
    };
    return strategy;
  });
}
