import { hostname } from 'node:os';
import { DistributedError } from '@omnitrain/core';
import { decodeCheckpoint, disposeCheckpoint, encodeCheckpoint } from '@omnitrain/engine';
import type { CheckpointState, ReduceInfo, ReduceOp, RegroupRequest, Strategy, StrategyContext } from '@omnitrain/engine';
import type { NamedGradients } from '@omnitrain/optim';
import type { Collective } from '../collective/collective.js';
import { ZmqCollective } from '../collective/zmq-collective.js';
import type { ZmqCollectiveOptions } from '../collective/zmq-collective-options.js';
import { isLoopback } from '../collective/zmq-collective-options.js';
import { findFreePort } from '../launcher/find-free-port.js';
import { dataParallelStrategy } from '../strategy/data-parallel-strategy.js';
import type { DataParallelOptions } from '../strategy/data-parallel-strategy.js';
import { ELASTIC_ADDR_ENV, ELASTIC_JOB_ENV } from './elastic-membership.js';
import { MembershipClient } from './membership-client.js';

/** Options of {@link elasticStrategy}. */
export interface ElasticStrategyOptions {
  /** The data-parallel strategy of each generation (its `shardOptimizer` is forced off, see below). */
  readonly dataParallel?: DataParallelOptions;
  /** The membership service. Default: OMNITRAIN_ELASTIC_ADDR. */
  readonly address?: string;
  /** The job id the service checks. Default: OMNITRAIN_ELASTIC_JOB. */
  readonly jobId?: string;
  /** Tuning of each generation's ZmqCollective (transport, fp16, heartbeats, jobSecret, ...). */
  readonly collective?: Partial<Omit<ZmqCollectiveOptions, 'rank' | 'worldSize' | 'masterAddr' | 'masterPort' | 'jobId'>>;
  /** How long a hello waits for its place, ms. Default 330000 (the service's first wait is 300 s). */
  readonly helloTimeoutMs?: number;
  /** This worker's place before the first generation formed (RANK / WORLD_SIZE). Default 0 of 1. */
  readonly provisional?: { readonly rank: number; readonly worldSize: number };
  /** Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The elastic {@link Strategy}: a data-parallel strategy over a fresh ZmqCollective per generation
 * of the group, which the membership service (in the launcher, OMNITRAIN_ELASTIC_ADDR) forms.
 * `regroup` (the Trainer calls it at the start, after a DistributedError and when joiners wait)
 * leaves the broken collective without waiting on dead peers, asks the service for a place, joins
 * the new generation's rendezvous, and copies the source member's whole state (the most applied
 * steps: `encodeCheckpoint` bytes, broadcast) to every other member. A push from the service that
 * workers wait to join rides as one more number in the next step's exchange, so every member sets
 * `regroupPending` after the same step. The optimizer update is replicated: ZeRO-1 sharding is off,
 * since its weight all-gather can break half-way and leave no member with a whole update.
 *
 * @throws DistributedError from `regroup` when the service refuses (below min, excluded) or is gone.
 * @example
 * const strategy = elasticStrategy({ dataParallel: { checkEvery: 50 } }); // in a worker started by `omnitrain launch --elastic 1:2`
 * await new Trainer({ model, optimizer, train, strategy }).fit();
 */
export function elasticStrategy(options: ElasticStrategyOptions = {}): Strategy {
  const env = options.env ?? process.env;
  const address = options.address ?? env[ELASTIC_ADDR_ENV];
  const jobId = options.jobId ?? env[ELASTIC_JOB_ENV];
  if (!address || !jobId) {
    throw new DistributedError({ op: 'elasticStrategy', expected: `${ELASTIC_ADDR_ENV} and ${ELASTIC_JOB_ENV} (set by omnitrain launch --elastic)`, received: `${address ?? 'no address'}, ${jobId ?? 'no job id'}` });
  }
  const secret = options.collective?.jobSecret;
  const client = new MembershipClient(address, jobId, secret);
  const serviceHost = new URL(address.replace(/^tcp:/, 'http:')).hostname;
  const loopback = isLoopback(serviceHost);
  const host = options.collective?.advertiseAddr ?? (loopback ? '127.0.0.1' : hostname());
  const helloTimeoutMs = options.helloTimeoutMs ?? 330_000;
  let inner: Strategy | undefined;
  let collective: Collective | undefined;
  let generation = -1;
  let place = { rank: options.provisional?.rank ?? 0, worldSize: options.provisional?.worldSize ?? 1 };
  let pending = false;

  const current = (): Strategy => {
    if (!inner) throw new DistributedError({ op: 'elasticStrategy', expected: 'a formed group (regroup first)', received: 'none' });
    return inner;
  };
  /** Leaves the old generation: its collective may wait on dead peers, so the close is not awaited past 2 s. */
  const leave = async (): Promise<void> => {
    const old = inner;
    inner = undefined;
    collective = undefined;
    if (old) await Promise.race([old.teardown().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
  };
  /** `numbers` plus this rank's "joiners wait" flag; the sum tells every rank the same. */
  const withFlag = (numbers: readonly number[]): number[] => [...numbers, client.pending ? 1 : 0];
  const stripFlag = (sums: number[]): number[] => {
    pending = sums[sums.length - 1]! > 0;
    return sums.slice(0, -1);
  };

  return {
    name: 'elastic',
    get rank() {
      return place.rank;
    },
    get worldSize() {
      return place.worldSize;
    },
    get isChief() {
      return place.rank === 0;
    },
    get generation() {
      return generation;
    },
    get regroupPending() {
      return pending;
    },
    async setup(ctx: StrategyContext): Promise<void> {
      // The Trainer calls regroup instead; a caller that calls setup gets a first generation too.
      const state = await this.regroup!({ reason: 'start', appliedSteps: 0, context: ctx, state: () => { throw new DistributedError({ op: 'elasticStrategy.setup', expected: 'the Trainer (regroup) to give the state', received: 'setup' }); } });
      if (state) disposeCheckpoint(state);
    },
    async regroup(request: RegroupRequest): Promise<CheckpointState | undefined> {
      await leave();
      pending = false;
      const port = await findFreePort(loopback ? '127.0.0.1' : '0.0.0.0');
      const a = await client.hello({ pid: process.pid, host, port, generation, appliedSteps: request.appliedSteps, reason: request.reason }, helloTimeoutMs);
      generation = a.generation;
      place = { rank: a.rank, worldSize: a.worldSize };
      collective = await ZmqCollective.connect({ ...(options.collective ?? {}), rank: a.rank, worldSize: a.worldSize, masterAddr: a.masterAddr, masterPort: a.masterPort, jobId: a.jobId });
      inner = dataParallelStrategy(collective, { ...(options.dataParallel ?? {}), shardOptimizer: false });
      if (a.worldSize === 1) return undefined;
      // The source's whole state (weights, optimizer, counters, data position) to every other member.
      const where = `state from rank ${a.source}, generation ${a.generation}`;
      const deadline = { deadlineMs: options.dataParallel?.deadlineMs ?? 300_000 };
      let bytes: Uint8Array | undefined;
      if (a.rank === a.source) {
        const state = request.state();
        try {
          bytes = encodeCheckpoint(state);
        } finally {
          disposeCheckpoint(state);
        }
      }
      const size = new Uint8Array(8);
      if (bytes) new DataView(size.buffer).setFloat64(0, bytes.byteLength, true);
      await collective.broadcast(size, a.source, deadline);
      const length = new DataView(size.buffer).getFloat64(0, true);
      const payload = await collective.broadcast(bytes ?? new Uint8Array(length), a.source, deadline);
      return a.rank === a.source ? undefined : decodeCheckpoint(payload, where);
    },
    async reduceGradients(grads: NamedGradients, info: ReduceInfo): Promise<NamedGradients> {
      return current().reduceGradients(grads, info);
    },
    async reduceStep(weightedGrads: NamedGradients, numbers: readonly number[], info: ReduceInfo) {
      const s = current();
      const r = s.reduceStep ? await s.reduceStep(weightedGrads, withFlag(numbers), info) : { grads: await s.reduceGradients(weightedGrads, info), numbers: await s.reduceNumbers(withFlag(numbers), 'sum') };
      return { grads: r.grads, numbers: stripFlag(r.numbers) };
    },
    async reduceNumbers(values: readonly number[], op: ReduceOp): Promise<number[]> {
      if (op !== 'sum') return current().reduceNumbers(values, op);
      return stripFlag(await current().reduceNumbers(withFlag(values), 'sum'));
    },
    afterStep(ctx: StrategyContext, step: number): Promise<void> {
      return current().afterStep(ctx, step);
    },
    barrier(label: string): Promise<void> {
      return current().barrier(label);
    },
    async teardown(): Promise<void> {
      const old = inner;
      inner = undefined;
      try {
        await old?.teardown();
      } finally {
        client.close();
      }
    },
  };
}
