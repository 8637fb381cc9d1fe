/**
 * The points of a worker's start, in order, that the launcher times after a restart:
 * `main` (the process runs the command: node started, modules imported, config read),
 * `backend` (the tfjs backend is ready), `rendezvous` (the group is formed), `task` (model built,
 * data loaded), `trainer` (optimizer, callbacks and sinks are ready), `resume` (the checkpoint is
 * loaded), `first-step` (the first optimizer step of this process is done).
 */
export const WORKER_PHASES = ['main', 'backend', 'rendezvous', 'task', 'trainer', 'resume', 'first-step'] as const;

/**
 * One of {@link WORKER_PHASES}, or `standby`: a warm spare finished its imports and waits (not a
 * phase of a restart: it happens before the failure).
 */
export type WorkerPhase = (typeof WORKER_PHASES)[number] | 'standby';

/** A phase mark as it travels: one stderr line, which the launcher takes out of the worker's output. */
export const WORKER_PHASE_PREFIX = '@omnitrain-phase ';

/** The variable that turns marks on; the launchers set it to `1`. */
export const WORKER_PHASE_ENV = 'OMNITRAIN_PHASE_MARKS';

/**
 * Tells the launcher that this worker reached `phase`, as one line `@omnitrain-phase <phase> <epoch ms>`
 * on stderr (so it crosses ssh and srun like any output). Does nothing unless the launcher asked
 * for marks (`OMNITRAIN_PHASE_MARKS=1`), so a plain `omnitrain train` prints none.
 *
 * @param phase Which point was reached.
 * @param env The environment. Default `process.env`.
 * @param out Where the line goes. Default `process.stderr`.
 * @example
 * const backend = await composeBackend('auto');
 * markWorkerPhase('backend');
 */
export function markWorkerPhase(
  phase: WorkerPhase,
  env: Readonly<Record<string, string | undefined>> = process.env,
  out: { write(line: string): unknown } = process.stderr,
): void {
  if (env[WORKER_PHASE_ENV] !== '1') return;
  out.write(`${WORKER_PHASE_PREFIX}${phase} ${(performance.timeOrigin + performance.now()).toFixed(1)}\n`);
}

/**
 * Reads a line written by {@link markWorkerPhase}.
 *
 * @returns The phase and its wall-clock time (epoch ms), or undefined for any other line.
 * @example
 * parseWorkerPhase('@omnitrain-phase resume 1795863719242.5'); // { phase: 'resume', time: 1795863719242.5 }
 */
export function parseWorkerPhase(line: string): { phase: WorkerPhase; time: number } | undefined {
  if (!line.startsWith(WORKER_PHASE_PREFIX)) return undefined;
  const [phase, time] = line.slice(WORKER_PHASE_PREFIX.length).trim().split(' ');
  const t = Number(time);
  if (!([...WORKER_PHASES, 'standby'] as readonly string[]).includes(phase ?? '') || !Number.isFinite(t)) return undefined;
  return { phase: phase as WorkerPhase, time: t };
}
