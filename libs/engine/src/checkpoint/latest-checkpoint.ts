import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readSafetensors } from '@omnitrain/core';
import { CHECKPOINT_METADATA_KEY } from './checkpoint-state.js';
import { CHECKPOINT_FILE_PATTERN } from './checkpoint-file-name.js';

/** Options of {@link latestCheckpoint}. */
export interface LatestCheckpointOptions {
  /** Told about each checkpoint skipped as corrupt or unreadable. Default: `console.warn`. */
  onWarning?: (message: string) => void;
}

/**
 * The newest complete, valid checkpoint file of a folder: the one `latest.json` names, else (when it
 * is missing, unreadable or names a bad file) the newest `step-*.safetensors` that validates. Each
 * candidate's checksum is verified; corrupt ones are skipped with a warning.
 *
 * @param dir The checkpoint folder.
 * @param options onWarning (default console.warn).
 * @returns The file's path, or undefined when there is none (or no folder).
 *
 * @example
 * const path = await latestCheckpoint('runs/a/checkpoints');
 * if (path) await trainer.resumeFrom(path);
 */
export async function latestCheckpoint(dir: string, options: LatestCheckpointOptions = {}): Promise<string | undefined> {
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const files = await readdir(dir).catch(() => undefined);
  if (files === undefined) return undefined;
  const named = await readFile(join(dir, 'latest.json'), 'utf8')
    .then((text) => (JSON.parse(text) as { file?: unknown }).file)
    .catch(() => undefined);
  const candidates = files.filter((f) => CHECKPOINT_FILE_PATTERN.test(f)).sort().reverse();
  if (typeof named === 'string' && named === basename(named)) candidates.unshift(named);
  for (const file of new Set(candidates)) {
    const path = join(dir, file);
    try {
      const { metadata } = await readSafetensors(path);
      if (metadata[CHECKPOINT_METADATA_KEY] !== undefined) return path;
      warn(`engine.latestCheckpoint: skipping ${path}: not a trainer checkpoint (no "${CHECKPOINT_METADATA_KEY}" metadata)`);
    } catch (error) {
      warn(`engine.latestCheckpoint: skipping ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return undefined;
}
