import { randomUUID } from 'node:crypto';
import { ConfigError } from '@omnitrain/core';
import { coreBinding } from './core-binding.js';
import type { GroupOptions, LaunchSummary } from './launch-group.js';
import { launchGroup } from './launch-group.js';
import { WORKER_PHASE_ENV } from './worker-phase.js';

/** Options of {@link launchLocal}. */
export interface LaunchLocalOptions extends Omit<GroupOptions, 'workers'> {
  /** Number of worker processes (one per core or GPU). */
  readonly nproc: number;
  /** The executable, e.g. `process.execPath`. */
  readonly command: string;
  /** Its arguments, e.g. `['worker.js', 'run.yaml']`. */
  readonly args?: readonly string[];
  /** Extra environment for every worker. */
  readonly env?: Readonly<Record<string, string>>;
  /** OMNITRAIN_JOB_ID of the job; default a random UUID (the same across restarts). */
  readonly jobId?: string;
  /**
   * Bind each worker to its own block of cores (see `coreBinding`: contiguous equal blocks of the
   * cores this process may use; skipped when there are fewer cores than workers or no `taskset`).
   * For CPU workers (wasm, single-threaded or tfjs-node); leave it off for GPU workers. Default false.
   */
  readonly bindCores?: boolean;
}

/**
 * Starts `nproc` workers on this host with torchrun-style variables (RANK, WORLD_SIZE, LOCAL_RANK,
 * MASTER_ADDR=127.0.0.1, MASTER_PORT = a free port per attempt, OMNITRAIN_JOB_ID,
 * OMNITRAIN_RESTART = the attempt number, OMNITRAIN_PHASE_MARKS=1 for restart timing), optionally each bound
 * to its own cores (`bindCores`), prefixes their output with `[rank N]`, and restarts the
 * whole group when one fails, up to `maxRestarts` (workers resume from their last checkpoint).
 *
 * @throws ConfigError for nproc < 1; DistributedError naming the last failing rank when restarts run out.
 * @example
 * const summary = await launchLocal({ nproc: 2, command: process.execPath, args: ['train.js'], maxRestarts: 3 });
 * console.log(`finished after ${summary.restarts} restart(s)`);
 */
export function launchLocal(o: LaunchLocalOptions): Promise<LaunchSummary> {
  if (!Number.isInteger(o.nproc) || o.nproc < 1) {
    return Promise.reject(new ConfigError({ op: 'launchLocal', expected: 'nproc: an integer >= 1', received: String(o.nproc), where: 'nproc' }));
  }
  if (o.maxRestarts !== undefined && (!Number.isInteger(o.maxRestarts) || o.maxRestarts < 0)) {
    return Promise.reject(new ConfigError({ op: 'launchLocal', expected: 'maxRestarts: an integer >= 0', received: String(o.maxRestarts), where: 'maxRestarts' }));
  }
  const jobId = o.jobId ?? randomUUID();
  const cores = o.bindCores ? coreBinding(o.nproc) : undefined;
  return launchGroup({
    ...o,
    workers: (attempt, port) =>
      Array.from({ length: o.nproc }, (_, rank) => ({
        rank,
        argv: [o.command, ...(o.args ?? [])],
        ...(cores ? { cores: cores[rank]! } : {}),
        env: {
          ...o.env,
          RANK: String(rank),
          WORLD_SIZE: String(o.nproc),
          LOCAL_RANK: String(rank),
          MASTER_ADDR: '127.0.0.1',
          MASTER_PORT: String(port),
          OMNITRAIN_JOB_ID: jobId,
          OMNITRAIN_RESTART: String(attempt),
          [WORKER_PHASE_ENV]: '1',
        },
      })),
  });
}
