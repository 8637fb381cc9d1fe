import { isAbsolute, join } from 'node:path';

/**
 * `path` resolved against the run folder when relative (as given when there is no run folder).
 *
 * @example
 * resolveIn('runs/a', 'checkpoints'); // 'runs/a/checkpoints'
 */
export function resolveIn(runDir: string | undefined, path: string): string {
  return runDir === undefined || isAbsolute(path) ? path : join(runDir, path);
}
