import type { Trainer } from '../trainer/trainer.js';
import { latestCheckpoint } from './latest-checkpoint.js';
import type { LatestCheckpointOptions } from './latest-checkpoint.js';

/**
 * Resumes `trainer` from the newest valid checkpoint of `dir` (see `latestCheckpoint`), if any.
 *
 * @param trainer A trainer built like the interrupted one, before `fit`.
 * @param dir The checkpoint folder.
 * @param options onWarning for skipped corrupt files (default console.warn).
 * @returns The checkpoint file resumed from, or undefined when there was none (a fresh start).
 *
 * @example
 * const from = await resumeTrainer(trainer, 'runs/a/checkpoints');
 * await trainer.fit();
 */
export async function resumeTrainer(trainer: Trainer, dir: string, options: LatestCheckpointOptions = {}): Promise<string | undefined> {
  const path = await latestCheckpoint(dir, options);
  if (path !== undefined) await trainer.resumeFrom(path);
  return path;
}
