import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { DistributedError } from '@omnitrain/core';
import { boundArgv } from './core-binding.js';
import { findFreePort } from './find-free-port.js';
import { activateSpare, isRunning, retireSpares, standbyImportArg, STANDBY_IMPORTS_ENV } from './warm-spare.js';
import { parseWorkerPhase } from './worker-phase.js';
import type { WorkerPhase } from './worker-phase.js';

/** How to start one worker of an attempt. */
export interface WorkerSpec {
  readonly rank: number;
  /** The executable and its arguments (`node train.js`, or `ssh host '...'`). */
  readonly argv: readonly string[];
  /** Extra environment of the spawned process (merged over the launcher's). */
  readonly env: Readonly<Record<string, string>>;
  /** Cores the worker (every thread of it) is bound to from its start (`taskset -c`); default unbound. */
  readonly cores?: readonly number[];
}

/** What happens to a group, for logs and tests. */
export type LaunchEvent =
  | { type: 'start'; attempt: number; port: number; pids: number[]; /** How many workers were warm spares. */ warm?: number }
  /** Warm spares for `attempt` were spawned (they import and wait). */
  | { type: 'spares'; attempt: number; pids: number[] }
  /** Every warm spare for `attempt` finished its imports and waits. */
  | { type: 'spares-ready'; attempt: number }
  | {
      type: 'exit';
      attempt: number;
      rank: number;
      code: number | null;
      signal: string | null;
      /** The process (elastic launches, where a slot has several in turn). */
      pid?: number;
      /** Elastic: why the launcher stopped it (`excluded: ...`, `group restart`, `job done`); absent when it exited by itself. */
      stoppedBy?: string;
    }
  /** The group restarts; `failedRank` -1 when no single rank failed (an elastic group fell below its minimum). */
  | { type: 'restart'; attempt: number; failedRank: number; delayMs: number }
  | { type: 'done'; attempt: number }
  /** A worker reached a start phase (its `markWorkerPhase` line, taken out of its output); `time` is epoch ms. */
  | { type: 'phase'; attempt: number; rank: number; phase: WorkerPhase; time: number }
  /** Elastic: a group generation formed (ranks of the members, by pid). */
  | {
      type: 'regroup';
      attempt: number;
      generation: number;
      reason: 'start' | 'failure' | 'join';
      members: Array<{ rank: number; pid: number; host: string; appliedSteps: number }>;
      /** `failure`: ms from the launcher seeing the (first) failed worker exit to this generation formed. */
      afterFailureMs?: number;
    }
  /** Elastic: a replacement worker for `slot` starts after `delayMs` (it joins the running group). */
  | { type: 'replace'; attempt: number; slot: number; delayMs: number; failures: number }
  /** Elastic: the replacement for `slot` was spawned. */
  | { type: 'joiner'; attempt: number; slot: number; pid: number }
  /** Elastic: workers said hello to a running group and wait to join it; it takes them in at its next step. */
  | { type: 'waiting'; attempt: number; pids: number[] }
  /** Elastic: the membership service excluded a (frozen or late) worker; the launcher SIGKILLs it. */
  | { type: 'excluded'; attempt: number; pid: number; reason: string }
  /** Elastic: fewer than `min` workers live; the whole group restarts from the last checkpoint. */
  | { type: 'below-min'; attempt: number; alive: number; min: number };

/** One attempt (start of the group to its end) in a {@link LaunchSummary}. */
export interface AttemptSummary {
  /** Each rank's exit: a code, or the signal name. */
  readonly exits: Array<number | string>;
  /** The rank whose failure ended the attempt; undefined when every rank exited 0. */
  readonly failedRank?: number;
  readonly durationMs: number;
}

/** What a launch returns once the group finished. */
export interface LaunchSummary {
  /** Group restarts done (attempts - 1). */
  readonly restarts: number;
  readonly attempts: readonly AttemptSummary[];
  readonly durationMs: number;
}

/** Options shared by every launcher. */
export interface GroupOptions {
  /** The workers of attempt `attempt` with rendezvous port `port` (a fresh free port per attempt). */
  readonly workers: (attempt: number, port: number) => WorkerSpec[];
  /** Restarts of the whole group after a failure. Default 0. */
  readonly maxRestarts?: number;
  /** Wait before a restart, ms. Default 0: every attempt has a fresh port, nothing needs to settle. */
  readonly restartDelayMs?: number;
  /** After SIGTERM, wait this long before SIGKILL, ms. Default 3000. */
  readonly graceMs?: number;
  /** Where `[rank N]`-prefixed output lines go; default process.stdout / process.stderr. */
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  readonly onEvent?: (event: LaunchEvent) => void;
  /** Host the rendezvous port is picked on. Default 127.0.0.1. */
  readonly portHost?: string;
  /**
   * Stops the launch: every worker gets SIGTERM, then SIGKILL after `graceMs`, no restart follows,
   * and the launch rejects with a DistributedError once every worker has exited (no orphans).
   */
  readonly signal?: AbortSignal;
  /**
   * Keep a warm spare group for the next attempt: once the running attempt made its first step, a
   * spare per rank is spawned (`node --import <standby> ...argv`) that imports these module URLs
   * and waits; a restart hands each spare its environment instead of starting a new process, which
   * saves node's start and the imports. For `node` workers on this host only (argv[0] ends in
   * `node`); others start fresh. Default: none.
   */
  readonly warmSpares?: { readonly imports: readonly string[] };
}

/** One worker process of an attempt, spawned now or earlier as a warm spare. */
export interface Started {
  readonly child: ChildProcess;
  /** Called with each phase mark of the worker (set by the attempt that runs it). */
  onPhase: (phase: WorkerPhase, time: number) => void;
}

function prefixLines(stream: NodeJS.ReadableStream | null, prefix: string, out: Writable, onPhase: (phase: WorkerPhase, time: number) => void): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => {
    const mark = parseWorkerPhase(line);
    if (mark) onPhase(mark.phase, mark.time);
    else out.write(`${prefix}${line}\n`);
  });
}

/** Spawns a worker (as a warm spare with `standbyImports`), its output prefixed and phase marks passed on. */
export function startWorker(spec: WorkerSpec, o: Pick<GroupOptions, 'stdout' | 'stderr'>, standbyImports?: readonly string[]): Started {
  const argv = boundArgv(standbyImports ? [spec.argv[0]!, standbyImportArg(), ...spec.argv.slice(1)] : spec.argv, spec.cores);
  const env = { ...process.env, ...spec.env, ...(standbyImports ? { [STANDBY_IMPORTS_ENV]: JSON.stringify(standbyImports) } : {}) };
  const child = spawn(argv[0]!, argv.slice(1), { stdio: [standbyImports ? 'pipe' : 'ignore', 'pipe', 'pipe'], env });
  const started: Started = { child, onPhase: () => undefined };
  const onPhase = (phase: WorkerPhase, time: number): void => started.onPhase(phase, time);
  prefixLines(child.stdout, `[rank ${spec.rank}] `, o.stdout ?? process.stdout, onPhase);
  prefixLines(child.stderr, `[rank ${spec.rank}] `, o.stderr ?? process.stderr, onPhase);
  child.stdin?.on('error', () => undefined); // a spare that died before its activation: seen by isRunning
  return started;
}

/** Whether a spec can run as a warm spare: a `node` process on this host. */
const canStandBy = (spec: WorkerSpec): boolean => /(^|[/\\])node(\.exe)?$/.test(spec.argv[0] ?? '');

/** Runs one attempt; resolves with each rank's exit and the first failing rank. */
async function runAttempt(
  specs: WorkerSpec[],
  o: GroupOptions,
  attempt: number,
  port: number,
  spares: Started[] | undefined,
  onFirstStep: () => void,
): Promise<AttemptSummary> {
  const t0 = Date.now();
  const graceMs = o.graceMs ?? 3000;
  const exits: Array<number | string | undefined> = specs.map(() => undefined);
  let failedRank: number | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  // Spares get this attempt's environment (they were spawned with it, bar the port); if any is gone, all start fresh.
  const warm = spares !== undefined && spares.length === specs.length && spares.every((s) => isRunning(s.child)) && spares.every((s, i) => activateSpare(s.child, specs[i]!.env));
  if (spares && !warm) await retireSpares(spares.map((s) => s.child), graceMs);
  const workers = warm ? spares : specs.map((s) => startWorker(s, o));
  const children = workers.map((w) => w.child);
  workers.forEach((w, i) => {
    w.onPhase = (phase, time) => {
      o.onEvent?.({ type: 'phase', attempt, rank: specs[i]!.rank, phase, time });
      if (phase === 'first-step') onFirstStep();
    };
  });
  o.onEvent?.({ type: 'start', attempt, port, pids: children.map((c) => c.pid ?? -1), ...(warm ? { warm: children.length } : {}) });
  const stopAll = (): void => {
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      c.kill('SIGTERM');
      // A frozen (SIGSTOP) worker would hold its SIGTERM until the grace ran out: wake it to act on it.
      c.kill('SIGCONT');
    }
    killTimer ??= setTimeout(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }, graceMs);
  };
  o.signal?.addEventListener('abort', stopAll, { once: true });
  if (o.signal?.aborted) stopAll();
  await Promise.all(
    children.map(
      (c, i) =>
        new Promise<void>((resolve) => {
          const rank = specs[i]!.rank;
          const finish = (code: number | null, signal: string | null): void => {
            if (exits[i] !== undefined) return;
            exits[i] = code ?? signal ?? 'unknown';
            o.onEvent?.({ type: 'exit', attempt, rank, code, signal });
            if (code !== 0 && failedRank === undefined) {
              failedRank = rank;
              stopAll();
            }
            resolve();
          };
          if (!isRunning(c)) finish(c.exitCode, c.signalCode);
          c.on('exit', finish);
          c.on('error', (e) => {
            (o.stderr ?? process.stderr).write(`[rank ${rank}] could not start: ${e.message}\n`);
            finish(127, null);
          });
        }),
    ),
  );
  clearTimeout(killTimer);
  o.signal?.removeEventListener('abort', stopAll);
  return { exits: exits as Array<number | string>, ...(failedRank === undefined ? {} : { failedRank }), durationMs: Date.now() - t0 };
}

/**
 * Runs a group of workers to the end: when a worker fails (non-zero exit or a signal), the rest get
 * SIGTERM (and SIGCONT, for a frozen one) then SIGKILL after `graceMs`, and the whole group starts
 * again (workers resume from their last checkpoint) up to `maxRestarts` times, from warm spares
 * when `warmSpares` is set. The building block of `launchLocal` and `launchSsh`.
 *
 * @throws DistributedError naming the rank that failed in the last attempt, once restarts are used up.
 * @example
 * const summary = await launchGroup({ workers: (attempt, port) => specs(port), maxRestarts: 2 });
 */
export async function launchGroup(o: GroupOptions): Promise<LaunchSummary> {
  const t0 = Date.now();
  const maxRestarts = o.maxRestarts ?? 0;
  const attempts: AttemptSummary[] = [];
  let spares: Started[] | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      const port = await findFreePort(o.portHost);
      const specs = o.workers(attempt, port);
      const next = attempt + 1;
      // The next attempt's spares start once this one trains, so they never slow this one's start.
      const spawnSpares = (): void => {
        if (spares !== undefined || !o.warmSpares || next > maxRestarts || o.signal?.aborted) return;
        const nextSpecs = o.workers(next, 0); // the real port is handed over with the activation
        if (!nextSpecs.every(canStandBy)) return;
        const group = nextSpecs.map((s) => startWorker(s, o, o.warmSpares!.imports));
        let waiting = group.length;
        for (const w of group) {
          w.onPhase = (phase) => {
            if (phase === 'standby' && --waiting === 0) o.onEvent?.({ type: 'spares-ready', attempt: next });
          };
        }
        spares = group;
        o.onEvent?.({ type: 'spares', attempt: next, pids: spares.map((w) => w.child.pid ?? -1) });
      };
      const ready = spares;
      spares = undefined;
      const result = await runAttempt(specs, o, attempt, port, ready, spawnSpares);
      attempts.push(result);
      if (o.signal?.aborted) {
        throw new DistributedError({
          op: 'launch',
          expected: 'the launch to run to its end',
          received: `stopped by the caller (${String(o.signal.reason ?? 'aborted')}); every worker has exited (exits: ${result.exits.join(', ')})`,
          where: `attempt ${attempt + 1}`,
        });
      }
      if (result.failedRank === undefined) {
        o.onEvent?.({ type: 'done', attempt });
        return { restarts: attempt, attempts, durationMs: Date.now() - t0 };
      }
      if (attempt >= maxRestarts) {
        throw new DistributedError({
          op: 'launch',
          expected: `every worker to exit 0 within ${maxRestarts} restart(s)`,
          received: `rank ${result.failedRank} exited with ${result.exits[result.failedRank]} (exits: ${result.exits.join(', ')})`,
          where: `rank ${result.failedRank}, attempt ${attempt + 1}`,
          hint: 'read the [rank N] lines above; raise --max-restarts if the failure is transient',
        });
      }
      const delayMs = o.restartDelayMs ?? 0;
      o.onEvent?.({ type: 'restart', attempt: attempt + 1, failedRank: result.failedRank, delayMs });
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    }
  } finally {
    // No orphans: unused spares exit with the launch, however it ends.
    const unused: Started[] = spares ?? [];
    await retireSpares(unused.map((s) => s.child), o.graceMs ?? 3000);
  }
}
