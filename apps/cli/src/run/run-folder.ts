import { join, resolve } from 'node:path';

/** The paths of one run folder, `runs/<runId>/`, shared by the engine, the CLI and the dashboard. */
export interface RunFolder {
  /** The run's id: the folder's name. */
  runId: string;
  /** The folder itself. */
  dir: string;
  /** The telemetry JSONL log. */
  events: string;
  /** TensorBoard event files. */
  tensorboard: string;
  /** `step-<8 digits>.safetensors` files and `latest.json`. */
  checkpoints: string;
  /** The resolved run config. */
  config: string;
  /** The cleaning report of the run's data (JSONL). */
  cleaningReport: string;
  /** What `train` ended with: steps, last metrics, test result (JSON). */
  summary: string;
}

/**
 * The paths of the run folder `<runsDir>/<runId>/` (nothing is created).
 *
 * @param runsDir The runs root, e.g. `runs`.
 * @param runId The run's id.
 *
 * @example
 * const run = runFolder('runs', 'digits-20261128-050000');
 * run.checkpoints; // '/abs/runs/digits-20261128-050000/checkpoints'
 */
export function runFolder(runsDir: string, runId: string): RunFolder {
  const dir = resolve(runsDir, runId);
  return {
    runId,
    dir,
    events: join(dir, 'events.jsonl'),
    tensorboard: join(dir, 'tensorboard'),
    checkpoints: join(dir, 'checkpoints'),
    config: join(dir, 'config.json'),
    cleaningReport: join(dir, 'cleaning-report.jsonl'),
    summary: join(dir, 'summary.json'),
  };
}

/**
 * A new run id: `<name>-<UTC yyyymmdd-hhmmss>`, so every plain `omnitrain train` gets a fresh folder
 * (the launcher passes one id to all workers and restarts with `--run-id`).
 *
 * @example
 * newRunId('digits', new Date('2026-11-28T05:00:00Z')); // 'digits-20261128-050000'
 */
export function newRunId(name: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name.replace(/[^A-Za-z0-9._-]/g, '-')}-${stamp}`;
}
