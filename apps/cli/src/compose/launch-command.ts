import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchGroup, launchLocal, parseHostfile, sshCommandLines } from '@omnitrain/distributed';
import { onInterrupt } from '../cli/on-interrupt.js';
import type { LaunchEvent, LaunchSummary } from '@omnitrain/distributed';
import { loadRun } from './load-run.js';

/** The `omnitrain` entry point workers run (`dist/main.js` beside this file's folder). */
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/** Options of {@link launchRun}. */
export interface LaunchRunOptions {
  /** The run file each worker trains. */
  file: string;
  /** `--set` overrides, passed on to every worker. */
  overrides: readonly string[];
  /** The run folder's id, the same for every worker and every restart (so restarts resume). */
  runId: string;
  /** Workers on this host. */
  nproc: number;
  /** Restarts of the whole group after a failure. */
  maxRestarts: number;
  /** A hostfile (`host slots=N` lines): workers start over ssh on those hosts instead. Default: this host. */
  hostfile?: string | undefined;
  /** Where launcher messages go. Default `process.stderr`. */
  log?: NodeJS.WritableStream;
  /** Stops the workers (SIGTERM, then SIGKILL) and the launch. Default: Ctrl-C / SIGTERM of this process. */
  signal?: AbortSignal;
}

/**
 * Starts `nproc` workers on this host, each `omnitrain train <file> --run-id <runId> --set ...`
 * with torchrun-style variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) from
 * distributed's `launchLocal`; when one fails, the group is stopped and started again (up to
 * `maxRestarts`), and the workers resume from the run's latest checkpoint.
 *
 * @returns The launcher's summary (restarts, each attempt's exits).
 * @throws DistributedError naming the failing rank once restarts run out.
 *
 * @example
 * await launchRun({ file: 'examples/digits.yaml', overrides: [], runId: 'digits-a', nproc: 2, maxRestarts: 1 });
 */
export async function launchRun(options: LaunchRunOptions): Promise<LaunchSummary> {
  const log = options.log ?? process.stderr;
  // Ctrl-C or SIGTERM to the launcher stops every worker before it exits (no orphans).
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
  let settled: Promise<unknown> = Promise.resolve();
  const offInterrupt = onInterrupt(async () => {
    log.write('launch: stopping the workers\n');
    controller.abort('interrupted');
    await settled.catch(() => undefined);
  });
  const signal = controller.signal;
  const args = [MAIN, 'train', options.file, '--run-id', options.runId, ...options.overrides.flatMap((s) => ['--set', s])];
  const onEvent = (e: LaunchEvent) => {
    if (e.type === 'start') log.write(`launch: attempt ${e.attempt + 1}: workers started (pids ${e.pids.join(', ')}), rendezvous port ${e.port}\n`);
    if (e.type === 'exit' && e.code !== 0) log.write(`launch: rank ${e.rank} exited with ${e.code ?? e.signal}\n`);
    if (e.type === 'restart') log.write(`launch: rank ${e.failedRank} failed; restarting the group from the last checkpoint in ${e.delayMs} ms (restart ${e.attempt + 1} of ${options.maxRestarts})\n`);
  };
  const run = (launch: Promise<LaunchSummary>): Promise<LaunchSummary> => {
    settled = launch;
    return launch.finally(offInterrupt);
  };
  if (options.hostfile === undefined) {
    return run(launchLocal({ nproc: options.nproc, command: process.execPath, args, env: { OMNITRAIN_RUN_ID: options.runId }, maxRestarts: options.maxRestarts, onEvent, signal }));
  }
  // Several hosts: the same checkout path on each, reached over ssh; a job secret turns on CURVE
  // (required off loopback), the same for every attempt so restarts can rejoin.
  const hosts = parseHostfile(await readFile(options.hostfile, 'utf8'), options.hostfile);
  const jobId = randomUUID();
  const env = { OMNITRAIN_RUN_ID: options.runId, OMNITRAIN_JOB_SECRET: randomBytes(24).toString('hex') };
  return run(
    launchGroup({
      maxRestarts: options.maxRestarts,
      onEvent,
      signal,
      workers: (attempt, port) =>
        sshCommandLines({ hosts, command: 'node', args, cwd: process.cwd(), env, masterPort: port, jobId, restart: attempt }),
    }),
  );
}

/**
 * `omnitrain launch`: validates the run file (config errors stop here, before any worker starts),
 * fixes the run id, runs the workers with {@link launchRun} and reports the test accuracy.
 *
 * @example
 * await launchCommand({ file: 'examples/digits.yaml', overrides: [], nproc: 2 });
 */
export async function launchCommand(options: {
  file: string;
  overrides: readonly string[];
  runId?: string | undefined;
  nproc?: number | undefined;
  hostfile?: string | undefined;
  maxRestarts?: number | undefined;
}): Promise<void> {
  const run = await loadRun(options.file, options.overrides, options.runId);
  const nproc = options.nproc ?? run.config.distributed.nproc;
  const maxRestarts = options.maxRestarts ?? run.config.distributed.maxRestarts;
  const summary = await launchRun({ file: options.file, overrides: options.overrides, runId: run.folder.runId, nproc, maxRestarts, hostfile: options.hostfile });
  const result = JSON.parse(await readFile(run.folder.summary, 'utf8')) as { test?: { accuracy: number }; steps: number };
  process.stdout.write(
    `launch: ${nproc} workers finished in ${(summary.durationMs / 1000).toFixed(1)} s after ${summary.restarts} restart(s); ` +
      `${result.steps} steps${result.test ? `, test accuracy ${result.test.accuracy.toFixed(4)}` : ''}; run folder ${run.folder.dir}\n`,
  );
}
