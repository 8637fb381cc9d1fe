import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, saveWeights, writeFileAtomic } from '@omnitrain/core';
import { checkpointTensors } from './checkpoint-tensors.js';
import type { CheckpointState } from './checkpoint-state.js';
import { CHECKPOINT_FILE_PATTERN, checkpointFileName } from './checkpoint-file-name.js';

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Checkpoint files to keep; older ones are deleted after the save. Default: keep all. */
  keepLast?: number;
}

/** What {@link saveCheckpoint} wrote. */
export interface SavedCheckpoint {
  /** The checkpoint file. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
}

/**
 * Writes a checkpoint as ONE safetensors file `<dir>/step-<8 digits>.safetensors` (weights under
 * `model/`, optimizer slots under `optimizer/`, the JSON half under the metadata key
 * `omnitrain.checkpoint`, with core's data checksum), atomically, then points `<dir>/latest.json`
 * at it, atomically too. A crash leaves either the old or the new checkpoint, never a torn one.
 *
 * @param dir The checkpoint folder (created if missing).
 * @param state The state (`trainer.checkpointState()`); its tensors are read, not disposed.
 * @param options keepLast (default: keep all).
 * @throws CheckpointError naming the file when the file system refuses.
 *
 * @example
 * const state = await trainer.checkpointState();
 * try { await saveCheckpoint('runs/a/checkpoints', state, { keepLast: 3 }); } finally { disposeCheckpoint(state); }
 */
export async function saveCheckpoint(dir: string, state: CheckpointState, options: SaveCheckpointOptions = {}): Promise<SavedCheckpoint> {
  await mkdir(dir, { recursive: true }).catch((cause: unknown) => {
    throw new CheckpointError({ op: 'engine.saveCheckpoint', expected: 'a writable checkpoint folder', received: String(cause), where: `dir ${dir}`, cause });
  });
  const { tensors, metadata } = checkpointTensors(state);
  const file = checkpointFileName(state.step);
  const path = join(dir, file);
  const bytes = await saveWeights(path, tensors, metadata);
  const latest = { file, step: state.step, epoch: state.epoch, bytes, time: new Date().toISOString() };
  await writeFileAtomic(join(dir, 'latest.json'), [Buffer.from(`${JSON.stringify(latest, null, 2)}\n`)]);
  if (options.keepLast !== undefined) await pruneCheckpoints(dir, options.keepLast, file);
  return { path, bytes };
}

/** Deletes all but the newest `keep` checkpoint files of `dir` (never `current`). */
async function pruneCheckpoints(dir: string, keep: number, current: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => CHECKPOINT_FILE_PATTERN.test(f)).sort();
  const doomed = files.slice(0, Math.max(0, files.length - Math.max(1, keep))).filter((f) => f !== current);
  await Promise.all(doomed.map((f) => unlink(join(dir, f)).catch(() => undefined)));
}
