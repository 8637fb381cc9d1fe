import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { DistributedError } from '@omnitrain/core';
import { findFreePort } from './find-free-port.js';

/** How to start one worker of an attempt. */
export interface WorkerSpec {
  readonly rank: number;
  /** The executable and its arguments (`node train.js`, or `ssh host '...'`). */
  readonly argv: readonly string[];
  /** Extra environment of the spawned process (merged over the launcher's). */
  readonly env: Readonly<Record<string, string>>;
}

/** What happens to a group, for logs and tests. */
export type LaunchEvent =
  | { type: 'start'; attempt: number; port: number; pids: number[] }
  | { type: 'exit'; attempt: number; rank: number; code: number | null; signal: string | null }
  | { type: 'restart'; attempt: number; failedRank: number; delayMs: number }
  | { type: 'done'; attempt: number };

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
  /** Wait before a restart, ms. Default 1000. */
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
}

function prefixLines(stream: NodeJS.ReadableStream | null, prefix: string, out: Writable): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

/** Runs one attempt; resolves with each rank's exit and the first failing rank. */
async function runAttempt(specs: WorkerSpec[], o: GroupOptions, attempt: number, port: number): Promise<AttemptSummary> {
  const t0 = Date.now();
  const graceMs = o.graceMs ?? 3000;
  const exits: Array<number | string | undefined> = specs.map(() => undefined);
  let failedRank: number | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const children: ChildProcess[] = specs.map((s) =>
    spawn(s.argv[0]!, s.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...s.env } }),
  );
  o.onEvent?.({ type: 'start', attempt, port, pids: children.map((c) => c.pid ?? -1) });
  const stopAll = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
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
          prefixLines(c.stdout, `[rank ${rank}] `, o.stdout ?? process.stdout);
          prefixLines(c.stderr, `[rank ${rank}] `, o.stderr ?? process.stderr);
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
 * SIGTERM then SIGKILL after `graceMs`, and the whole group starts again (workers resume from their
 * last checkpoint) up to `maxRestarts` times. The building block of `launchLocal` and `launchSsh`.
 *
 * @throws DistributedError naming the rank that failed in the last attempt, once restarts are used up.
 * @example
 * const summary = await launchGroup({ workers: (attempt, port) => specs(port), maxRestarts: 2 });
 */
export async function launchGroup(o: GroupOptions): Promise<LaunchSummary> {
  const t0 = Date.now();
  const maxRestarts = o.maxRestarts ?? 0;
  const attempts: AttemptSummary[] = [];
  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort(o.portHost);
    const result = await runAttempt(o.workers(attempt, port), o, attempt, port);
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
    const delayMs = o.restartDelayMs ?? 1000;
    o.onEvent?.({ type: 'restart', attempt: attempt + 1, failedRank: result.failedRank, delayMs });
    await new Promise((r) => setTimeout(r, delayMs));
  }
}
