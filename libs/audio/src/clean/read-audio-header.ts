import { readFile } from 'node:fs/promises';
import { DataError } from '@omnitrain/core';
import { readWavInfo } from '../wav/read-wav-info.js';
import type { WavInfo } from '../wav/read-wav-info.js';

/**
 * What the audio validators learn from a file: its header facts, the error that makes it unusable,
 * or `'missing'` (reported by data's `missing-file` validator, so not again here).
 */
export async function readAudioHeader(path: string): Promise<WavInfo | DataError | 'missing'> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    return new DataError({ op: 'audio.readWav', expected: 'a readable file', received: code ?? String(e), where: `file ${path}`, cause: e });
  }
  try {
    return readWavInfo(bytes, { file: path });
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
}
