// In-process elastic replicas: strategies with `regroup` meeting through shared memory, standing in
// for libs/distributed's elastic strategy to check the Trainer's side of the regroup contract
// (rollback to the commit, state copied from the most advanced member, reshard, joins).
import * as tf from '@tensorflow/tfjs-core';
import { DistributedError } from '@omnitrain/core';
import type { NamedGradients } from '@omnitrain/optim';
import { decodeCheckpoint, disposeCheckpoint, encodeCheckpoint } from '@omnitrain/engine';
import type { CheckpointState, ReduceOp, RegroupRequest, Strategy } from '@omnitrain/engine';

interface Round {
  values: Map<number, unknown>;
  done: Promise<unknown[]>;
  resolve: (v: unknown[]) => void;
  reject: (e: Error) => void;
}

/** A member of the group: its strategy plus test controls. */
export interface ElasticMember {
  readonly id: number;
  readonly strategy: Strategy;
  /** Regroups this member took part in, by reason. */
  readonly regroups: string[];
}

/**
 * A group of elastic in-process strategies. `kill(id)` breaks the current generation for everyone
 * (as a dead process does); `failOnce(id, step)` makes one member's exchange of `step` fail locally
 * after the others got theirs (a member then lags one update behind); `join()` adds a member that
 * waits for the next step boundary.
 */
export function elasticGroup(size: number) {
  let generation = 0;
  let members: number[] = Array.from({ length: size }, (_, i) => i); // ids in rank order
  const dead = new Set<number>();
  const joiners: number[] = [];
  const failAt = new Map<number, number>();
  let rounds = new Map<number, Round>();
  let broken: Error | undefined;
  let forming: { arrived: Map<number, { appliedSteps: number; state: () => CheckpointState }>; done: Promise<void>; resolve: () => void; source?: Uint8Array; sourceId?: number } | undefined;
  let nextId = size;

  const breakGeneration = (why: string): void => {
    if (broken) return;
    broken = new DistributedError({ op: 'elasticGroup', expected: 'every member to take part', received: why, where: `generation ${generation}` });
    for (const r of rounds.values()) r.reject(broken);
    rounds = new Map();
  };

  const meet = async (id: number, seq: number, value: unknown): Promise<unknown[]> => {
    if (broken) throw broken;
    let round = rounds.get(seq);
    if (!round) {
      let resolve!: (v: unknown[]) => void;
      let reject!: (e: Error) => void;
      const done = new Promise<unknown[]>((res, rej) => ((resolve = res), (reject = rej)));
      done.catch(() => undefined);
      round = { values: new Map(), done, resolve, reject };
      rounds.set(seq, round);
    }
    round.values.set(id, value);
    if (round.values.size === members.length) {
      rounds.delete(seq);
      round.resolve(members.map((m) => round!.values.get(m)));
    }
    return round.done;
  };

  const tryForm = (): void => {
    if (!forming) return;
    const live = [...members.filter((m) => !dead.has(m)), ...joiners];
    if (!live.every((m) => forming!.arrived.has(m))) return;
    members = live;
    joiners.length = 0;
    generation += 1;
    broken = undefined;
    rounds = new Map();
    const best = Math.max(...members.map((m) => forming!.arrived.get(m)!.appliedSteps));
    const source = members.find((m) => forming!.arrived.get(m)!.appliedSteps === best)!;
    const state = forming.arrived.get(source)!.state();
    forming.source = encodeCheckpoint(state);
    disposeCheckpoint(state);
    forming.sourceId = source;
    forming.resolve();
  };

  const member = (id: number): ElasticMember => {
    let seq = 0;
    let pending = false;
    const regroups: string[] = [];
    const exchange = async (value: unknown, step?: number): Promise<unknown[]> => {
      if (dead.has(id)) throw new DistributedError({ op: 'elasticGroup', expected: 'a live member', received: `member ${id} is dead` });
      const all = (await meet(id, seq++, value)) as unknown[];
      if (step !== undefined && failAt.get(id) === step) {
        failAt.delete(id);
        // This member's link broke after the others got the result: it leaves the generation.
        breakGeneration(`member ${id} lost the result of step ${step}`);
        throw broken!;
      }
      return all;
    };
    const strategy: Strategy = {
      name: 'elastic-in-memory',
      get rank() {
        return Math.max(0, members.indexOf(id));
      },
      get worldSize() {
        return members.length;
      },
      get isChief() {
        return members.indexOf(id) === 0;
      },
      get generation() {
        return generation;
      },
      get regroupPending() {
        return pending;
      },
      setup: async () => undefined,
      async reduceGradients(grads: NamedGradients, info) {
        const mine = Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, { shape: g.shape, data: Float32Array.from(g.dataSync(), (v) => v * info.weight) }]));
        tf.dispose(Object.values(grads));
        const all = (await exchange({ mine, joining: joiners.length > 0 }, info.step)) as Array<{ mine: typeof mine; joining: boolean }>;
        pending = all.some((a) => a.joining);
        return Object.fromEntries(
          Object.keys(mine).map((n) => {
            const sum = new Float32Array(mine[n]!.data.length);
            for (const r of all) r.mine[n]!.data.forEach((v, i) => (sum[i]! += v));
            return [n, tf.tensor(sum, mine[n]!.shape)];
          }),
        );
      },
      async reduceNumbers(values: readonly number[], op: ReduceOp) {
        const all = (await exchange([...values])) as number[][];
        return values.map((_, i) => {
          const col = all.map((v) => v[i]!);
          const sum = col.reduce((a, b) => a + b);
          return op === 'sum' ? sum : op === 'mean' ? sum / col.length : op === 'max' ? Math.max(...col) : Math.min(...col);
        });
      },
      afterStep: async () => undefined,
      async barrier(label: string) {
        await exchange(label);
      },
      teardown: async () => undefined,
      async regroup(request: RegroupRequest) {
        if (dead.has(id)) throw new DistributedError({ op: 'elasticGroup.regroup', expected: 'a live member', received: `member ${id} is dead` });
        regroups.push(request.reason);
        pending = false;
        if (members.includes(id)) breakGeneration(`member ${id} regroups (${request.reason})`);
        if (!forming) {
          let resolve!: () => void;
          const done = new Promise<void>((r) => (resolve = r));
          forming = { arrived: new Map(), done, resolve };
        }
        const f = forming;
        f.arrived.set(id, { appliedSteps: request.appliedSteps, state: request.state });
        tryForm();
        await f.done;
        if (forming === f) forming = undefined;
        seq = 0;
        const sourceId = f.sourceId;
        return sourceId === id ? undefined : decodeCheckpoint(f.source!, `state from member ${sourceId}, generation ${generation}`);
      },
    };
    return { id, strategy, regroups };
  };

  const all = Array.from({ length: size }, (_, i) => member(i));
  return {
    members: all,
    get generation() {
      return generation;
    },
    /** The member dies: the current generation breaks for everyone; it never comes back. */
    kill(id: number): void {
      dead.add(id);
      breakGeneration(`member ${id} died`);
      tryForm();
    },
    /** Member `id`'s exchange of `step` fails after the others got its result. */
    failOnce(id: number, step: number): void {
      failAt.set(id, step);
    },
    /** A new member that joins at the next step boundary. */
    join(): ElasticMember {
      const id = nextId++;
      joiners.push(id);
      return member(id);
    },
  };
}
