import { randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import { ConfigError, DistributedError } from '@omnitrain/core';
import { deriveCurveKeys } from '../collective/curve-keys.js';
import { isLoopback } from '../collective/zmq-collective-options.js';
import { decodeHeader, encodeJson, jobTag, Op } from '../protocol/protocol.js';
import type { MemberHello } from '../protocol/protocol.js';
import { formGeneration } from './form-generation.js';
import type { Candidate } from './form-generation.js';

/** The variable that gives an elastic worker the membership service's address. */
export const ELASTIC_ADDR_ENV = 'OMNITRAIN_ELASTIC_ADDR';
/** The variable that gives an elastic worker the job id the service checks (its messages carry its tag). */
export const ELASTIC_JOB_ENV = 'OMNITRAIN_ELASTIC_JOB';

/** Options of {@link ElasticMembership.start}. */
export interface ElasticMembershipOptions {
  /** Fewer live workers than this form no group: workers are refused and the launcher restarts the job. */
  readonly min: number;
  /** At most this many members; later joiners wait for the next regroup. */
  readonly max: number;
  /** Workers the first generation waits for (the launcher's nproc). */
  readonly initial: number;
  /** Address to bind; default 127.0.0.1 (another address needs `jobSecret`: CURVE, as ZmqCollective). */
  readonly host?: string;
  /** Job id every message must carry (tag); default a random one (give it to workers in OMNITRAIN_ELASTIC_JOB). */
  readonly jobId?: string;
  /** Job secret: CURVE encryption and authentication of the service socket. */
  readonly jobSecret?: string;
  /** How long a regroup waits for live members that have not said hello, ms. Default 10000. */
  readonly formTimeoutMs?: number;
  /** How long the first generation waits for `initial` workers, ms (then forms with >= min). Default 300000. */
  readonly startTimeoutMs?: number;
  readonly onEvent?: (event: MembershipEvent) => void;
}

/** What the membership service reports (the launcher logs them, kills excluded workers, restarts below min). */
export type MembershipEvent =
  | { type: 'generation'; generation: number; reason: 'start' | 'failure' | 'join'; members: Array<{ rank: number; pid: number; host: string; appliedSteps: number }>; source: number }
  | { type: 'excluded'; pid: number; host: string; reason: string }
  | { type: 'below-min'; alive: number; min: number }
  | { type: 'pending'; joiners: number[] };

interface Known extends Candidate {
  readonly identity: Buffer;
}

/** A generation being formed: who said hello so far. */
interface Forming {
  readonly reason: 'start' | 'failure' | 'join';
  readonly hellos: Map<number, Known>;
  readonly timer: NodeJS.Timeout;
}

/**
 * The membership service of an elastic job, run by the launcher (not by a worker, which may die):
 * a ZeroMQ ROUTER that numbers generations of the group. Workers say hello (`Op.memberHello`) when
 * they start, join, or leave a broken generation; once every live member of the last generation
 * (and every waiting joiner) did, or `formTimeoutMs` passed, it forms the next generation with
 * `formGeneration` and sends each its place (`Op.memberAssign`: rank, world size, rendezvous, job id
 * of the generation, the source of the state). Members of the last generation that stayed silent
 * are excluded (event; the launcher kills them) and refused if they come back. Joiners arriving while
 * the group trains make it send `Op.memberPending` to the members, which regroup at the next step.
 *
 * @throws ConfigError for min/max/initial out of order or a non-loopback host without a job secret.
 * @example
 * const service = await ElasticMembership.start({ min: 2, max: 3, initial: 3, onEvent: (e) => console.log(e) });
 * spawnWorkers({ OMNITRAIN_ELASTIC_ADDR: service.address, OMNITRAIN_ELASTIC_JOB: service.jobId });
 */
export class ElasticMembership {
  readonly address: string;
  readonly jobId: string;
  readonly #o: Required<Omit<ElasticMembershipOptions, 'jobSecret' | 'onEvent' | 'jobId'>> & Pick<ElasticMembershipOptions, 'onEvent'>;
  readonly #router: zmq.Router;
  readonly #tag: string;
  #generation = -1;
  #members: Known[] = [];
  readonly #exited = new Set<number>();
  #joiners: Known[] = [];
  #forming: Forming | undefined;
  #arrival = 0;
  #closed = false;
  #sendQueue: Promise<unknown> = Promise.resolve();

  private constructor(router: zmq.Router, address: string, jobId: string, o: ElasticMembershipOptions) {
    this.#router = router;
    this.address = address;
    this.jobId = jobId;
    this.#tag = jobTag(jobId);
    this.#o = { min: o.min, max: o.max, initial: o.initial, host: o.host ?? '127.0.0.1', formTimeoutMs: o.formTimeoutMs ?? 10_000, startTimeoutMs: o.startTimeoutMs ?? 300_000, onEvent: o.onEvent };
  }

  /** Binds the service on a free port of `host` and starts serving. */
  static async start(options: ElasticMembershipOptions): Promise<ElasticMembership> {
    const { min, max, initial } = options;
    const host = options.host ?? '127.0.0.1';
    const bad = [
      Number.isInteger(min) && min >= 1 ? '' : `min ${min} (an integer >= 1)`,
      Number.isInteger(max) && max >= min ? '' : `max ${max} (an integer >= min ${min})`,
      Number.isInteger(initial) && initial >= min && initial <= max ? '' : `initial ${initial} (between min ${min} and max ${max})`,
    ].filter(Boolean);
    if (bad.length) throw new ConfigError({ op: 'ElasticMembership.start', expected: 'elastic limits min <= nproc <= max', received: bad.join('; '), where: 'field distributed.elastic' });
    if (!isLoopback(host) && options.jobSecret === undefined) {
      throw new ConfigError({ op: 'ElasticMembership.start', expected: 'a job secret (OMNITRAIN_JOB_SECRET) to bind a non-loopback address', received: `host ${host} without one`, hint: 'the launcher sets one for hostfile jobs' });
    }
    const jobId = options.jobId ?? randomUUID();
    const curve = options.jobSecret === undefined ? undefined : deriveCurveKeys(options.jobSecret, jobId);
    const router = new zmq.Router({ linger: 0, ...(curve ? { curveServer: true, curveSecretKey: curve.secretKey, curvePublicKey: curve.publicKey } : {}) });
    await router.bind(`tcp://${host}:*`);
    const service = new ElasticMembership(router, router.lastEndpoint!, jobId, options);
    void service.#serve();
    return service;
  }

  /** The current generation; -1 until the first one formed. */
  get generation(): number {
    return this.#generation;
  }

  /** Pids of the current generation's members, by rank. */
  get members(): number[] {
    return this.#members.map((m) => m.pid);
  }

  /** The launcher saw this worker process exit: it is no longer waited for. */
  memberExited(pid: number): void {
    this.#exited.add(pid);
    this.#joiners = this.#joiners.filter((j) => j.pid !== pid);
    if (this.#forming) {
      this.#forming.hellos.delete(pid);
      this.#check();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#forming) clearTimeout(this.#forming.timer);
    this.#router.close();
  }

  async #serve(): Promise<void> {
    try {
      for await (const [identity, h, p] of this.#router) {
        if (!identity || !h || !p) continue;
        try {
          decodeHeader(h, p, { jobTag: this.#tag, op: Op.memberHello }, 'elastic membership service');
          this.#onHello(identity, JSON.parse(p.toString()) as MemberHello);
        } catch (e) {
          this.#send(identity, Op.memberRefused, { reason: (e as Error).message });
        }
      }
    } catch {
      // closed
    }
  }

  #send(identity: Buffer, op: number, body: unknown): void {
    if (this.#closed) return;
    const frames = [identity, ...encodeJson(op as never, this.#tag, 0, body)];
    this.#sendQueue = this.#sendQueue.then(() => this.#router.send(frames)).catch(() => undefined);
  }

  #onHello(identity: Buffer, hello: MemberHello): void {
    const reason = (['start', 'failure', 'join'].includes(hello.reason) ? hello.reason : 'failure') as 'start' | 'failure' | 'join';
    const oldRank = this.#members.findIndex((m) => m.pid === hello.pid);
    const known: Known = { ...hello, identity, arrival: this.#arrival++, oldRank: hello.generation === this.#generation && oldRank >= 0 ? oldRank : undefined };
    if (hello.generation === -1) {
      if (this.#generation >= 0 && !this.#forming) {
        // A worker joins a running group: the members regroup at their next step (if there is room).
        this.#joiners = [...this.#joiners.filter((j) => j.pid !== hello.pid), known];
        if (this.#members.length < this.#o.max) {
          for (const m of this.#members) this.#send(m.identity, Op.memberPending, { generation: this.#generation, joiners: this.#joiners.map((j) => j.pid) });
          this.#o.onEvent?.({ type: 'pending', joiners: this.#joiners.map((j) => j.pid) });
        }
        return;
      }
      this.#startForming(this.#generation === -1 ? 'start' : reason).hellos.set(hello.pid, known);
    } else if (known.oldRank !== undefined) {
      this.#startForming(reason).hellos.set(hello.pid, known);
    } else {
      this.#send(identity, Op.memberRefused, {
        reason: `generation ${hello.generation} is over (the group is at generation ${this.#generation}) and this worker (pid ${hello.pid}) is not in it: it was excluded as late or dead`,
      });
      return;
    }
    this.#check();
  }

  #startForming(reason: 'start' | 'failure' | 'join'): Forming {
    if (!this.#forming) {
      const first = this.#generation === -1;
      const timer = setTimeout(() => this.#form(), first ? this.#o.startTimeoutMs : this.#o.formTimeoutMs);
      this.#forming = { reason, hellos: new Map(this.#joiners.map((j) => [j.pid, j])), timer };
      this.#joiners = [];
    }
    return this.#forming;
  }

  /** Forms the generation once everyone it waits for said hello. */
  #check(): void {
    const f = this.#forming;
    if (!f) return;
    const ready =
      this.#generation === -1
        ? f.hellos.size >= this.#o.initial
        : this.#members.every((m) => this.#exited.has(m.pid) || f.hellos.has(m.pid));
    if (ready) this.#form();
  }

  #form(): void {
    const f = this.#forming;
    if (!f || this.#closed) return;
    clearTimeout(f.timer);
    this.#forming = undefined;
    for (const m of this.#members) {
      if (!this.#exited.has(m.pid) && !f.hellos.has(m.pid)) {
        this.#o.onEvent?.({ type: 'excluded', pid: m.pid, host: m.host, reason: `did not rejoin within ${this.#o.formTimeoutMs} ms after generation ${this.#generation} broke (frozen or stuck)` });
      }
    }
    const next = this.#generation + 1;
    const candidates = [...f.hellos.values()];
    const formed = formGeneration(candidates, { generation: next, min: this.#o.min, max: this.#o.max, jobId: this.jobId });
    if (!formed.ok) {
      for (const c of candidates) this.#send(c.identity, Op.memberRefused, { reason: `only ${formed.alive} live worker(s) for generation ${next}, fewer than min ${this.#o.min}` });
      this.#members = [];
      this.#o.onEvent?.({ type: 'below-min', alive: formed.alive, min: this.#o.min });
      return;
    }
    this.#generation = next;
    const byPid = new Map(candidates.map((c) => [c.pid, c as Known]));
    this.#members = formed.members.map((m) => byPid.get(m.pid)!);
    this.#members.forEach((m, rank) => this.#send(m.identity, Op.memberAssign, formed.assignments[rank]));
    this.#joiners = formed.waiting.map((w) => byPid.get(w.pid)!);
    this.#o.onEvent?.({
      type: 'generation',
      generation: next,
      reason: f.reason,
      members: this.#members.map((m, rank) => ({ rank, pid: m.pid, host: m.host, appliedSteps: m.appliedSteps })),
      source: formed.assignments[0]!.source,
    });
  }
}

/** A DistributedError for a worker that got no place. */
export function refusedError(reason: string, address: string): DistributedError {
  return new DistributedError({ op: 'elastic.regroup', expected: 'a place in the next generation of the elastic group', received: `refused: ${reason}`, where: `membership service ${address}` });
}
