import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, writeFileAtomic } from '@omnitrain/core';
import { ElasticMembership, coreBinding, launchElastic, launchGroup, launchLocal, parseHostfile, restartTimer, slurmScript, sshCommandLines } from '@omnitrain/distributed';
import { onInterrupt } from '../cli/on-interrupt.js';
import type { ElasticLaunchSummary, LaunchEvent, LaunchSummary, RestartTiming, StartElasticService } from '@omnitrain/distributed';
import { elasticLaunchLog } from './elastic-launch-log.js';
import { loadRun } from './load-run.js';

/** The `omnitrain` entry point workers run (`dist/main.js` beside this file's folder). */
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
/** What a worker imports before it can train: warm spares import these while they wait. */
const WORKER_IMPORTS = [new URL('../cli/run-cli.js', import.meta.url).href, new URL('./train-command.js', import.meta.url).href];

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
  /** A JSON file to write the launch report to ({@link LaunchReport}), also when the launch fails. Default: none. */
  report?: string;
  /** Wait between a failure's teardown and the restart, ms. Default 0 (each attempt gets a fresh port). */
  restartDelayMs?: number;
  /** Keep a warm spare worker per rank for the next restart (this host only). Default true. */
  warmSpares?: boolean;
  /** Bind each local worker to its own block of cores (distributed's `coreBinding`). Default false. */
  bindCores?: boolean;
  /**
   * Elastic group (this host only): survivors of a failure regroup without restarting, replacements join
   * while fewer than `max` live; below `min` the whole group restarts. Default: off.
   */
  elastic?: { min: number; max: number; /** The membership service; default distributed's `ElasticMembership`. */ startService?: StartElasticService } | undefined;
  /** Elastic: wait before a failed worker's replacement (doubles per failure of its slot). Default `{ base: 1000, max: 30000 }`. */
  replaceBackoffMs?: { base: number; max: number };
}

/** What {@link launchRun} returns, and the JSON report it writes (`<run>/launch.json` for `omnitrain launch`). */
export interface LaunchReport extends LaunchSummary, Partial<Pick<ElasticLaunchSummary, 'generations' | 'workers' | 'survivors' | 'replacements'>> {
  /** Where each restart's time went, from the failure noticed to the first new optimizer step. */
  restartTimings: RestartTiming[];
  /** The launch's error message, when it failed. */
  error?: string;
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);

/**
 * One line for a restart's timing: the total against the 5 s goal, then each phase.
 *
 * @example
 * formatRestartTiming(timing); // 'restart 1: 2.91 s from failure noticed to first new step (teardown 0.02 s, ...)'
 */
export function formatRestartTiming(t: RestartTiming): string {
  const parts = [
    `teardown ${seconds(t.teardownMs)}`,
    `respawn ${seconds(t.respawnMs)}`,
    `process start ${seconds(t.processMs)}`,
    `backend ${seconds(t.backendMs)}`,
    `rendezvous ${seconds(t.rendezvousMs)}`,
    `setup ${seconds(t.setupMs)}`,
    `checkpoint load ${seconds(t.checkpointLoadMs)}`,
    `first step ${seconds(t.firstStepMs)}`,
  ];
  const total = t.totalMs === undefined ? 'no new step' : `${seconds(t.totalMs)} from failure noticed to first new step`;
  return `restart ${t.attempt} (rank ${t.failedRank} failed): ${total} (${parts.join(', ')}; model build + data load ${seconds(t.modelDataMs)} not counted)`;
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
export async function launchRun(options: LaunchRunOptions): Promise<LaunchReport> {
  if (options.elastic && options.hostfile !== undefined) {
    throw new ConfigError({ op: 'launch', expected: '--elastic on this host only', received: `--hostfile ${options.hostfile}`, where: '--elastic', hint: 'drop --hostfile or --elastic' });
  }
  const log = options.log ?? process.stderr;
  const timer = restartTimer();
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
  const describeElastic = elasticLaunchLog(log);
  const onEvent = (e: LaunchEvent) => {
    timer.onEvent(e);
    if (options.elastic) describeElastic(e);
    if (e.type === 'phase' && e.phase === 'first-step' && e.attempt > 0) {
      const timing = timer.timings()[e.attempt - 1];
      if (timing?.totalMs !== undefined) log.write(`launch: ${formatRestartTiming(timing)}\n`);
    }
    if (e.type === 'start') log.write(`launch: attempt ${e.attempt + 1}: workers started (pids ${e.pids.join(', ')}${e.warm ? ', warm spares' : ''}), rendezvous port ${e.port}\n`);
    if (e.type === 'spares') log.write(`launch: warm spares for restart ${e.attempt} starting (pids ${e.pids.join(', ')})\n`);
    if (e.type === 'spares-ready') log.write(`launch: warm spares for restart ${e.attempt} ready\n`);
    if (e.type === 'exit' && e.code !== 0 && !options.elastic) log.write(`launch: rank ${e.rank} exited with ${e.code ?? e.signal}\n`);
    if (e.type === 'restart') log.write(`launch: ${e.failedRank < 0 ? 'the group fell below its minimum' : `rank ${e.failedRank} failed`}; restarting the group from the last checkpoint in ${e.delayMs} ms (restart ${e.attempt} of ${options.maxRestarts})\n`);
  };
  const restartDelayMs = options.restartDelayMs ?? 0;
  const warmSpares = options.warmSpares === false ? undefined : { imports: WORKER_IMPORTS };
  const run = async (launch: Promise<LaunchSummary>): Promise<LaunchReport> => {
    settled = launch;
    try {
      const report: LaunchReport = { ...(await launch), restartTimings: timer.timings() };
      await writeReport(options.report, report);
      return report;
    } catch (error) {
      await writeReport(options.report, { restarts: -1, attempts: [], durationMs: -1, restartTimings: timer.timings(), error: (error as Error).message }).catch(() => undefined);
      throw error;
    } finally {
      offInterrupt();
    }
  };
  if (options.elastic) {
    const { min, max } = options.elastic;
    const startService = options.elastic.startService ?? defaultElasticService();
    const cores = options.bindCores ? coreBinding(max) : undefined;
    if (cores) log.write(`launch: worker slots bound to cores ${cores.map((c, slot) => `slot ${slot}: ${c.join(',')}`).join('; ')} (distributed.bindCores; a replacement gets its slot's)\n`);
    return run(
      launchElastic({ nproc: options.nproc, min, max, command: process.execPath, args, env: { OMNITRAIN_RUN_ID: options.runId }, maxRestarts: options.maxRestarts, restartDelayMs, onEvent, signal, bindCores: options.bindCores ?? false, startService, ...(options.replaceBackoffMs ? { replaceBackoffMs: options.replaceBackoffMs } : {}) }),
    );
  }
  if (options.hostfile === undefined) {
    const cores = options.bindCores ? coreBinding(options.nproc) : undefined;
    if (cores) log.write(`launch: workers bound to cores ${cores.map((c, rank) => `rank ${rank}: ${c.join(',')}`).join('; ')} (distributed.bindCores)\n`);
    return run(launchLocal({ nproc: options.nproc, command: process.execPath, args, env: { OMNITRAIN_RUN_ID: options.runId }, maxRestarts: options.maxRestarts, restartDelayMs, warmSpares, onEvent, signal, bindCores: options.bindCores ?? false }));
  }
  // Several hosts: the same checkout path on each, reached over ssh; a job secret turns on CURVE
  // (required off loopback), the same for every attempt so restarts can rejoin.
  const hosts = parseHostfile(await readFile(options.hostfile, 'utf8'), options.hostfile);
  const jobId = randomUUID();
  const env = { OMNITRAIN_RUN_ID: options.runId, OMNITRAIN_JOB_SECRET: randomBytes(24).toString('hex') };
  return run(
    launchGroup({
      maxRestarts: options.maxRestarts,
      restartDelayMs,
      onEvent,
      signal,
      workers: (attempt, port) =>
        sshCommandLines({ hosts, command: 'node', args, cwd: process.cwd(), env, masterPort: port, jobId, restart: attempt }),
    }),
  );
}

/** The membership service elastic launches run: distributed's ElasticMembership, on loopback. */
function defaultElasticService(): StartElasticService {
  return (o) => ElasticMembership.start(o);
}

async function writeReport(path: string | undefined, report: LaunchReport): Promise<void> {
  if (path === undefined) return;
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, [Buffer.from(`${JSON.stringify(report, null, 2)}\n`)]);
}

/**
 * `omnitrain launch`: validates the run file (config errors stop here, before any worker starts),
 * fixes the run id, runs the workers with {@link launchRun} and reports the test accuracy and each
 * restart's timing (also in `<run>/launch.json`).
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
  /** Print an sbatch script running the workers under Slurm's srun instead of launching here. */
  slurm?: boolean | undefined;
  /** Nodes of the Slurm job (with `slurm`). Default 1. */
  nodes?: number | undefined;
  /** `--elastic min:max`: an elastic group (overrides `distributed.elastic`). */
  elastic?: { min: number; max: number } | undefined;
}): Promise<void> {
  const run = await loadRun(options.file, options.overrides, options.runId);
  const nproc = options.nproc ?? run.config.distributed.nproc;
  const maxRestarts = options.maxRestarts ?? run.config.distributed.maxRestarts;
  const elastic = options.elastic ?? run.config.distributed.elastic;
  if (elastic && (nproc < elastic.min || nproc > elastic.max)) {
    const where = options.elastic ? '--elastic' : 'distributed.elastic';
    throw new ConfigError({ op: 'launch', expected: `min <= nproc <= max (${where} ${elastic.min}:${elastic.max})`, received: `nproc ${nproc}${options.nproc === undefined ? ' (distributed.nproc)' : ' (--nproc)'}`, where, hint: 'start between min and max workers' });
  }
  if (elastic && options.slurm) throw new ConfigError({ op: 'launch', expected: '--elastic with the local launcher', received: '--slurm', where: '--elastic' });
  if (options.slurm) {
    // Every task runs `omnitrain train` on the same run folder; srun's SLURM_* variables give ranks.
    const overrides = options.overrides.flatMap((o) => ['--set', o]);
    const command = ['node', MAIN, 'train', resolve(options.file), '--run-id', run.folder.runId, ...overrides];
    process.stdout.write(slurmScript({ command, nodes: options.nodes ?? 1, tasksPerNode: nproc, maxRestarts, cwd: process.cwd(), jobName: run.folder.runId }));
    return;
  }
  const report = join(run.folder.dir, 'launch.json');
  const bindCores = bindsCores(run.config.distributed.bindCores, run.config.runtime.backend);
  const summary = await launchRun({ file: options.file, overrides: options.overrides, runId: run.folder.runId, nproc, maxRestarts, hostfile: options.hostfile, report, bindCores, elastic });
  const result = JSON.parse(await readFile(run.folder.summary, 'utf8')) as { test?: { accuracy: number }; steps: number; worldSize: number };
  if (summary.generations) {
    process.stdout.write(`launch: elastic: ${summary.generations.length} generation(s), ${summary.replacements ?? 0} replacement(s); ${result.worldSize} worker(s) at the end (pids ${(summary.survivors ?? []).join(', ')})\n`);
  }
  process.stdout.write(
    `launch: ${nproc} workers finished in ${(summary.durationMs / 1000).toFixed(1)} s after ${summary.restarts} restart(s); ` +
      `${result.steps} steps${result.test ? `, test accuracy ${result.test.accuracy.toFixed(4)}` : ''}; run folder ${run.folder.dir}\n`,
  );
  for (const timing of summary.restartTimings) process.stdout.write(`launch: ${formatRestartTiming(timing)}\n`);
}

/**
 * Whether `omnitrain launch` binds its local workers to cores: `on`/`off` as written; `auto` binds
 * unless the workers may run on GPUs: `runtime.backend: tensorflow-gpu`, or `auto` with
 * @tensorflow/tfjs-node-gpu installed and an NVIDIA device visible (/dev/nvidia0 or
 * /proc/driver/nvidia/gpus, CUDA_VISIBLE_DEVICES not empty or -1), OMNITRAIN_BACKEND winning over the
 * run's backend. There each worker's own GPU matters and its CPU threads should roam.
 *
 * @example
 * bindsCores('auto', 'wasm'); // true
 */
export function bindsCores(mode: 'auto' | 'on' | 'off', backend: string): boolean {
  if (mode !== 'auto') return mode === 'on';
  const chosen = process.env['OMNITRAIN_BACKEND'] ?? backend;
  if (chosen === 'tensorflow-gpu') return false;
  if (chosen !== 'auto') return true;
  return !(gpuPackageInstalled() && nvidiaDeviceVisible());
}

function gpuPackageInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu/package.json');
    return true;
  } catch {
    return false;
  }
}

/** An NVIDIA GPU this process could use (the driver's device node, not hidden by CUDA_VISIBLE_DEVICES). */
function nvidiaDeviceVisible(): boolean {
  const visible = process.env['CUDA_VISIBLE_DEVICES'];
  if (visible !== undefined && (visible.trim() === '' || visible.trim() === '-1')) return false;
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/proc/driver/nvidia/gpus').length > 0;
  } catch {
    return false;
  }
}
