import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { ConfigError, DistributedError } from '@omnitrain/core';
import { coreBinding } from './core-binding.js';
import { findFreePort } from './find-free-port.js';
import { startWorker } from './launch-group.js';
import type { AttemptSummary, LaunchEvent, LaunchSummary } from './launch-group.js';
import type { LaunchLocalOptions } from './launch-local.js';
import { isRunning } from './warm-spare.js';
import { WORKER_PHASE_ENV } from './worker-phase.js';
import { ELASTIC_ADDR_ENV, ELASTIC_JOB_ENV } from '../elastic/elastic-membership.js';
import type { MembershipEvent } from '../elastic/elastic-membership.js';

/** The membership service as the launcher uses it (distributed's `ElasticMembership`). */
export interface ElasticService {
  /** The address workers get in `OMNITRAIN_ELASTIC_ADDR`. */
  readonly address: string;
  /** The job id workers get in `OMNITRAIN_ELASTIC_JOB` (the service checks it on every message). */
  readonly jobId: string;
  /** Tells the service that a worker process exited (it stops waiting for it). */
  memberExited(pid: number): void;
  close(): Promise<void>;
}

/** How {@link launchElastic} starts a membership service, once per group attempt. */
export type StartElasticService = (options: { min: number; max: number; initial: number; onEvent: (event: MembershipEvent) => void }) => Promise<ElasticService>;

/** Options of {@link launchElastic}: those of `launchLocal` (bar warm spares; `bindCores` binds each slot's workers, replacements too, to the slot's cores of `coreBinding(max)`), and: */
export interface LaunchElasticOptions extends Omit<LaunchLocalOptions, 'warmSpares'> {
  /** Fewest live workers the group trains with; below it the whole group restarts from the last checkpoint. min <= nproc. */
  readonly min: number;
  /** Most live workers: replacements are spawned while fewer live. nproc <= max. */
  readonly max: number;
  /** Starts the membership service of an attempt (normally `ElasticMembership.start`). */
  readonly startService: StartElasticService;
  /**
   * Wait before the replacement of a failed worker, ms: `base * 2^(failures of that slot - 1)`, at
   * most `max`. Default `{ base: 1000, max: 30000 }`.
   */
  readonly replaceBackoffMs?: { readonly base: number; readonly max: number };
}

/** One worker process of an elastic launch. */
export interface ElasticWorker {
  /** The slot (0..max-1) it fills: its cores, its `[rank N]` prefix. */
  readonly slot: number;
  readonly pid: number;
  /** Group attempt it ran in. */
  readonly attempt: number;
  /** True for a replacement that joined a running group. */
  readonly joiner: boolean;
  /** Its exit: a code or the signal name. */
  readonly exit: number | string;
  /** Why the launcher stopped it, if it did (`excluded: ...`, `group restart`, `job done`). */
  readonly stoppedBy?: string;
}

/** What {@link launchElastic} returns (also the elastic part of `launch.json`). */
export interface ElasticLaunchSummary extends LaunchSummary {
  /** The generations formed, in order, per attempt. */
  readonly generations: Array<Extract<LaunchEvent, { type: 'regroup' }>>;
  /** Every worker process, in start order. */
  readonly workers: ElasticWorker[];
  /** Pids of the workers that ran to the end (exit 0) in the last attempt. */
  readonly survivors: number[];
  /** Replacements spawned (each spent one restart of the budget). */
  readonly replacements: number;
}

interface Live {
  readonly slot: number;
  readonly child: ChildProcess;
  readonly joiner: boolean;
  stoppedBy?: string;
}

/**
 * Runs an elastic group on this host: `nproc` workers, each given `OMNITRAIN_ELASTIC_ADDR` (the
 * membership service this launcher runs, so it outlives any rank) and provisional torchrun-style
 * variables. A worker that fails is reported to the service and the others go on while at least
 * `min` live; a replacement (same command, the slot's cores) is spawned after a backoff that grows
 * with the slot's failures, while fewer than `max` live and the restart budget (`maxRestarts`, one per
 * replacement) lasts. A worker the service excludes (frozen, late) is SIGKILLed. Below `min` the
 * whole group is stopped and started again from the last checkpoint with a new service (one restart
 * of the budget). The job ends when the workers of the last generation exit 0.
 *
 * @throws ConfigError for bad min/nproc/max; DistributedError when the budget runs out or the caller aborts.
 * @example
 * const summary = await launchElastic({ nproc: 2, min: 1, max: 2, command: process.execPath, args: ['main.js', 'train', 'run.yaml'], maxRestarts: 3, startService: (o) => ElasticMembership.start(o) });
 * console.log(summary.survivors, summary.generations.length);
 */
export async function launchElastic(o: LaunchElasticOptions): Promise<ElasticLaunchSummary> {
  checkSizes(o);
  const t0 = Date.now();
  const maxRestarts = o.maxRestarts ?? 0;
  const jobId = o.jobId ?? randomUUID();
  const cores = o.bindCores ? coreBinding(o.max) : undefined;
  const backoff = o.replaceBackoffMs ?? { base: 1000, max: 30_000 };
  const attempts: AttemptSummary[] = [];
  const generations: ElasticLaunchSummary['generations'] = [];
  const workers: ElasticWorker[] = [];
  let budget = maxRestarts;
  let restarts = 0;
  let replacements = 0;
  for (let attempt = 0; ; attempt++) {
    const result = await runElasticAttempt(attempt);
    attempts.push(result.summary);
    if (o.signal?.aborted) {
      throw new DistributedError({ op: 'launchElastic', expected: 'the launch to run to its end', received: `stopped by the caller (${String(o.signal.reason ?? 'aborted')}); every worker has exited`, where: `attempt ${attempt + 1}` });
    }
    if (result.done) {
      o.onEvent?.({ type: 'done', attempt });
      return { restarts, attempts, durationMs: Date.now() - t0, generations, workers, survivors: result.survivors, replacements };
    }
    if (budget <= 0) {
      throw new DistributedError({
        op: 'launchElastic',
        expected: `at least ${o.min} live worker(s), within ${maxRestarts} restart(s) (replacements and group restarts)`,
        received: `${result.why} (exits: ${result.summary.exits.join(', ')})`,
        where: `attempt ${attempt + 1}`,
        hint: 'read the [rank N] lines above; raise --max-restarts or lower the elastic minimum',
      });
    }
    budget--;
    restarts++;
    const delayMs = o.restartDelayMs ?? 0;
    o.onEvent?.({ type: 'restart', attempt: attempt + 1, failedRank: result.summary.failedRank ?? -1, delayMs });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }

  /** One group attempt: resolves when it is done (every member exited 0) or must restart as a whole. */
  async function runElasticAttempt(attempt: number): Promise<{ done: boolean; summary: AttemptSummary; survivors: number[]; why: string }> {
    const started = Date.now();
    const graceMs = o.graceMs ?? 3000;
    const live = new Map<number, Live>(); // by pid
    const slotExits: Array<number | string | undefined> = Array.from({ length: o.max }, () => undefined);
    const slotFailures = new Array<number>(o.max).fill(0);
    const waiting = new Set<number>(); // slots with a replacement timer
    const timers = new Set<NodeJS.Timeout>();
    let members: Set<number> | undefined; // pids of the latest generation
    let finishing = false; // a member exited 0: the job ends, no more replacements
    let failure: string | undefined; // set once the attempt must restart as a whole
    let failedSlot: number | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let failedAt: number | undefined; // the first failed exit not yet followed by a regroup
    let wake: () => void = () => undefined;
    const survivors: number[] = [];
    const port = await findFreePort(o.portHost);

    const stop = (w: Live, why: string, signal: NodeJS.Signals): void => {
      if (!isRunning(w.child)) return;
      w.stoppedBy ??= why;
      w.child.kill(signal);
      w.child.kill('SIGCONT'); // a frozen worker acts on its signal only once awake
    };
    /** SIGTERM to `targets` now, SIGKILL to whoever still lives after the grace. */
    const stopAll = (why: string, targets: Live[] = [...live.values()]): void => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      waiting.clear();
      for (const w of targets) stop(w, why, 'SIGTERM');
      wake();
      killTimer ??= setTimeout(() => {
        for (const w of live.values()) stop(w, why, 'SIGKILL');
      }, graceMs);
    };
    const fail = (why: string, slot?: number): void => {
      if (failure !== undefined || finishing) return;
      failure = why;
      failedSlot = slot;
      stopAll('group restart');
    };
    const onAbort = (): void => fail('stopped by the caller');
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const service = await o.startService({
      min: o.min,
      max: o.max,
      initial: o.nproc,
      onEvent: (e) => {
        if (e.type === 'generation') {
          members = new Set(e.members.map((m) => m.pid));
          const afterFailureMs = e.reason === 'failure' && failedAt !== undefined ? Date.now() - failedAt : undefined;
          failedAt = undefined;
          const event = { type: 'regroup' as const, attempt, generation: e.generation, reason: e.reason, members: e.members, ...(afterFailureMs === undefined ? {} : { afterFailureMs }) };
          generations.push(event);
          o.onEvent?.(event);
        } else if (e.type === 'pending') {
          o.onEvent?.({ type: 'waiting', attempt, pids: e.joiners });
        } else if (e.type === 'excluded') {
          o.onEvent?.({ type: 'excluded', attempt, pid: e.pid, reason: e.reason });
          const w = live.get(e.pid);
          if (w) stop(w, `excluded: ${e.reason}`, 'SIGKILL');
        } else if (e.type === 'below-min') {
          o.onEvent?.({ type: 'below-min', attempt, alive: e.alive, min: e.min });
          fail(`${e.alive} live worker(s), fewer than the minimum ${e.min}`);
        }
      },
    });

    const spawnSlot = (slot: number, joiner: boolean): number => {
      const env: Record<string, string> = {
        ...o.env,
        RANK: String(slot), // provisional: the service assigns the rank of each generation
        WORLD_SIZE: String(o.nproc),
        LOCAL_RANK: String(slot),
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: String(port),
        OMNITRAIN_JOB_ID: jobId,
        OMNITRAIN_RESTART: String(attempt),
        [ELASTIC_ADDR_ENV]: service.address,
        [ELASTIC_JOB_ENV]: service.jobId,
        [WORKER_PHASE_ENV]: '1',
      };
      const started = startWorker({ rank: slot, argv: [o.command, ...(o.args ?? [])], env, ...(cores ? { cores: cores[slot]! } : {}) }, o);
      started.onPhase = (phase, time) => o.onEvent?.({ type: 'phase', attempt, rank: slot, phase, time });
      const { child } = started;
      const pid = child.pid ?? -1;
      const w: Live = { slot, child, joiner };
      live.set(pid, w);
      let exited = false;
      const finish = (code: number | null, signal: string | null): void => {
        if (exited) return;
        exited = true;
        live.delete(pid);
        const exit = code ?? signal ?? 'unknown';
        slotExits[slot] = exit;
        workers.push({ slot, pid, attempt, joiner, exit, ...(w.stoppedBy ? { stoppedBy: w.stoppedBy } : {}) });
        o.onEvent?.({ type: 'exit', attempt, rank: slot, code, signal, pid, ...(w.stoppedBy ? { stoppedBy: w.stoppedBy } : {}) });
        onExit(w, pid, exit === 0);
        wake();
      };
      child.on('exit', finish);
      child.on('error', (e) => {
        (o.stderr ?? process.stderr).write(`[rank ${slot}] could not start: ${e.message}\n`);
        finish(127, null);
      });
      return pid;
    };

    const onExit = (w: Live, pid: number, ok: boolean): void => {
      if (ok) {
        if (w.stoppedBy === undefined) survivors.push(pid);
        if (failure === undefined && w.stoppedBy === undefined) {
          finishing = true;
          for (const t of timers) clearTimeout(t);
          timers.clear();
          waiting.clear();
        }
        return;
      }
      if (failure !== undefined || (finishing && w.stoppedBy !== undefined)) return;
      service.memberExited(pid);
      failedAt ??= Date.now();
      slotFailures[w.slot]!++;
      if (live.size < o.min) return fail(`${live.size} live worker(s) after the exit of pid ${pid} (slot ${w.slot}), fewer than the minimum ${o.min}`, w.slot);
      if (finishing) return;
      if (budget <= 0) return;
      if (live.size + waiting.size >= o.max) return;
      const failures = slotFailures[w.slot]!;
      const delayMs = Math.min(backoff.max, backoff.base * 2 ** (failures - 1));
      budget--;
      replacements++;
      waiting.add(w.slot);
      o.onEvent?.({ type: 'replace', attempt, slot: w.slot, delayMs, failures });
      const timer = setTimeout(() => {
        timers.delete(timer);
        waiting.delete(w.slot);
        wake();
        if (failure !== undefined || finishing || o.signal?.aborted) return;
        o.onEvent?.({ type: 'joiner', attempt, slot: w.slot, pid: spawnSlot(w.slot, true) });
      }, delayMs);
      timers.add(timer);
    };

    for (let slot = 0; slot < o.nproc; slot++) spawnSlot(slot, false);
    o.onEvent?.({ type: 'start', attempt, port, pids: [...live.keys()] });
    if (o.signal?.aborted) onAbort();
    try {
      // Runs until every worker has exited; once the members of the last generation finished, a
      // joiner that never made it into a generation is stopped (it would wait for a group forever).
      for (;;) {
        if (live.size === 0 && waiting.size === 0) break;
        if (finishing && failure === undefined) {
          const rest = [...live.entries()];
          if (rest.length > 0 && rest.every(([pid]) => members !== undefined && !members.has(pid))) stopAll('job done', rest.map(([, w]) => w));
        }
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      await service.close();
    }
    const exits = slotExits.slice(0, Math.max(o.nproc, slotExits.findLastIndex((x) => x !== undefined) + 1)).map((x) => x ?? 'not started');
    const summary: AttemptSummary = { exits, ...(failedSlot === undefined ? {} : { failedRank: failedSlot }), durationMs: Date.now() - started };
    const done = failure === undefined && survivors.length > 0;
    return { done, summary, survivors, why: failure ?? 'no worker exited 0' };
  }
}

function checkSizes(o: LaunchElasticOptions): void {
  const bad = (where: string, expected: string, received: unknown): never => {
    throw new ConfigError({ op: 'launchElastic', expected, received: String(received), where });
  };
  if (!Number.isInteger(o.min) || o.min < 1) bad('min', 'an integer >= 1', o.min);
  if (!Number.isInteger(o.max) || o.max < o.min) bad('max', `an integer >= min (${o.min})`, o.max);
  if (!Number.isInteger(o.nproc) || o.nproc < o.min || o.nproc > o.max) bad('nproc', `an integer within min:max (${o.min}:${o.max})`, o.nproc);
  if (o.maxRestarts !== undefined && (!Number.isInteger(o.maxRestarts) || o.maxRestarts < 0)) bad('maxRestarts', 'an integer >= 0', o.maxRestarts);
}
