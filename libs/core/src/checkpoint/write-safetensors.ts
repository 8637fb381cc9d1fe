import { layoutSafetensors } from './encode-safetensors.js';
import type { EncodeSafetensorsOptions } from './encode-safetensors.js';
import type { SafetensorsTensor } from './safetensors-dtype.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions extends EncodeSafetensorsOptions {
  /** Called as the file is written, with bytes written so far and the file's size. Default: none. */
  onProgress?: (bytesWritten: number, totalBytes: number) => void;
}

/**
 * Writes tensors and string metadata to a safetensors file, atomically: after a crash `path` holds
 * either its previous contents or the complete new file (see {@link writeFileAtomic}). The data is
 * streamed from the tensors' arrays, never copied whole, and by default its CRC-32 is stored in
 * `__metadata__` (`omnitrain.crc32`) so {@link readSafetensors} detects corruption.
 *
 * @param path The file to create or replace; its directory must exist.
 * @param tensors Tensors by name (F16/BF16/F8 as raw bits); checked before anything is written.
 * @param metadata String metadata (`step`, `epoch`, a JSON config, ...). Default: none.
 * @returns The file's size in bytes.
 * @throws {CheckpointError} for an invalid tensor (naming it) or a failed write (naming the file).
 *
 * @example
 * await writeSafetensors('ckpt/last.safetensors', {
 *   'dense/kernel': { dtype: 'F32', shape: [784, 10], data: kernel },
 *   'dense/bias': { dtype: 'F32', shape: [10], data: bias },
 * }, { step: '1200' });
 */
export async function writeSafetensors(
  path: string,
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Readonly<Record<string, string>> = {},
  options: WriteSafetensorsOptions = {},
): Promise<number> {
  const { header, parts, byteLength } = layoutSafetensors(tensors, metadata, options, `file ${path}`);
  const { onProgress } = options;
  return writeFileAtomic(path, [header, ...parts], {
    onProgress: onProgress && ((written) => onProgress(written, byteLength)),
  });
}
