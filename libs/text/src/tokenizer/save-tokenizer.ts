import { writeFileAtomic } from '@omnitrain/core';
import type { Tokenizer } from './tokenizer.js';

/**
 * Writes a tokenizer's config as JSON, atomically (readers see the old file or the new one).
 * A `vocab` tokenizer's file holds its whole vocabulary; a `transformers` one names its folder.
 *
 * @param tokenizer The tokenizer.
 * @param file The JSON file to create or replace; its directory must exist.
 * @throws CheckpointError when the file system refuses.
 * @example await saveTokenizer(tok, 'runs/a/tokenizer.json'); const again = await loadTokenizer('runs/a/tokenizer.json');
 */
export async function saveTokenizer(tokenizer: Tokenizer, file: string): Promise<void> {
  await writeFileAtomic(file, [Buffer.from(`${JSON.stringify(tokenizer.getConfig(), null, 1)}\n`)]);
}
