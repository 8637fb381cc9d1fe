import type { LaunchEvent } from './launch-group.js';
import { WORKER_PHASES } from './worker-phase.js';
import type { WorkerPhase } from './worker-phase.js';

/**
 * Where the time of one restart went, from the launcher noticing a worker's death to the first
 * optimizer step of the restarted group, in ms. Each worker phase ends when its slowest rank
 * reaches it (the group moves at its slowest member's pace). A phase whose mark never came
 * (the attempt failed again, or its workers do not mark phases) is absent.
 */
export interface RestartTiming {
  /** The attempt that restarted (1 = the first restart). */
  readonly attempt: number;
  /** The rank whose failure ended the attempt before. */
  readonly failedRank: number;
  /** When the launcher noticed the failure (epoch ms). */
  readonly detectedAt: number;
  /** Noticed -> every worker of the failed attempt exited (SIGTERM, SIGCONT, SIGKILL after the grace). */
  readonly teardownMs: number;
  /** Last exit -> the new workers are spawned (the restart delay and a fresh rendezvous port). */
  readonly respawnMs?: number;
  /** Spawned -> the command runs (node start, module imports, config read). */
  readonly processMs?: number;
  /** -> the tfjs backend is ready. */
  readonly backendMs?: number;
  /** -> the group is formed. */
  readonly rendezvousMs?: number;
  /** -> the model is built and the data loaded: NOT counted in `totalMs` (as the goal says). */
  readonly modelDataMs?: number;
  /** -> optimizer, callbacks and sinks ready. */
  readonly setupMs?: number;
  /** -> the checkpoint is loaded into model, optimizer, schedule, RNG and data position. */
  readonly checkpointLoadMs?: number;
  /** -> the first optimizer step of every rank is done. */
  readonly firstStepMs?: number;
  /** Noticed -> first new step, less `modelDataMs`; absent until the first step came. */
  readonly totalMs?: number;
}

/** What {@link restartTimer} returns. */
export interface RestartTimer {
  /** Feed every launch event here (pass it as, or call it from, `onEvent`). `now` defaults to Date.now(). */
  onEvent(event: LaunchEvent, now?: number): void;
  /** The timing of each restart so far. */
  timings(): RestartTiming[];
}

interface Attempt {
  start?: number;
  ranks: number;
  firstFailure?: { rank: number; at: number };
  exits: number;
  lastExit?: number;
  marks: Map<WorkerPhase, number[]>;
}

/**
 * Times restarts from launch events: the launcher's own (exit, start) stamped on arrival, and the
 * workers' phase marks (`markWorkerPhase`) with their own clocks (one host: the same clock).
 *
 * @example
 * const timer = restartTimer();
 * await launchLocal({ nproc: 2, command, args, maxRestarts: 1, onEvent: (e) => timer.onEvent(e) });
 * for (const t of timer.timings()) console.log(`restart ${t.attempt}: ${t.totalMs} ms`);
 */
export function restartTimer(): RestartTimer {
  const attempts: Attempt[] = [];
  const at = (i: number): Attempt => (attempts[i] ??= { ranks: 0, exits: 0, marks: new Map() });
  return {
    onEvent(e, now = Date.now()) {
      if (e.type === 'start') Object.assign(at(e.attempt), { start: now, ranks: e.pids.length });
      if (e.type === 'exit') {
        const a = at(e.attempt);
        a.exits++;
        a.lastExit = now;
        if (e.code !== 0 && a.firstFailure === undefined) a.firstFailure = { rank: e.rank, at: now };
      }
      if (e.type === 'phase') {
        const a = at(e.attempt);
        const times = a.marks.get(e.phase) ?? [];
        times[e.rank] = e.time;
        a.marks.set(e.phase, times);
      }
    },
    timings() {
      const out: RestartTiming[] = [];
      for (let i = 1; i < attempts.length; i++) {
        const before = attempts[i - 1]!;
        const now = attempts[i]!;
        if (before.firstFailure === undefined || before.lastExit === undefined) continue;
        out.push(timingOf(i, before.firstFailure, before.lastExit, now));
      }
      return out;
    },
  };
}

/** The phase names of {@link RestartTiming}, in order, for each worker mark. */
const FIELDS: Record<(typeof WORKER_PHASES)[number], keyof RestartTiming> = {
  main: 'processMs',
  backend: 'backendMs',
  rendezvous: 'rendezvousMs',
  task: 'modelDataMs',
  trainer: 'setupMs',
  resume: 'checkpointLoadMs',
  'first-step': 'firstStepMs',
};

function timingOf(attempt: number, failure: { rank: number; at: number }, lastExit: number, next: Attempt): RestartTiming {
  const timing: Record<string, number> = {
    attempt,
    failedRank: failure.rank,
    detectedAt: failure.at,
    teardownMs: lastExit - failure.at,
  };
  if (next.start === undefined) return timing as unknown as RestartTiming;
  timing['respawnMs'] = next.start - lastExit;
  let previous = next.start;
  for (const phase of WORKER_PHASES) {
    const times = next.marks.get(phase) ?? [];
    // The slowest rank ends the phase; without every rank's mark, this phase and the rest are unknown.
    if (times.filter((t) => t !== undefined).length < next.ranks) break;
    const end = Math.max(...times);
    timing[FIELDS[phase]] = Math.max(0, end - previous);
    previous = Math.max(previous, end);
    if (phase === 'first-step') timing['totalMs'] = end - failure.at - (timing['modelDataMs'] ?? 0);
  }
  return timing as unknown as RestartTiming;
}
