import { open } from 'node:fs/promises';
import { constants } from 'node:buffer';
import { CheckpointError } from '../errors.js';
import { decodeSafetensors } from './decode-safetensors.js';
import type { DecodeSafetensorsOptions } from './decode-safetensors.js';
import type { SafetensorsContents } from './safetensors-dtype.js';

/** Options of {@link readSafetensors}. */
export type ReadSafetensorsOptions = Omit<DecodeSafetensorsOptions, 'source'>;

/**
 * Reads a safetensors file, Omnitrain's or another tool's (Python `safetensors`, PyTorch, JAX).
 * The whole file is validated, and its data checksum verified when it has one, before anything is
 * returned; a truncated or corrupt file throws a {@link CheckpointError} naming the file and the
 * problem. Tensors are views of one buffer holding the file's data (no per-tensor copies).
 *
 * @param path The file to read.
 * @param options Default: verify the `omnitrain.crc32` checksum when present.
 *
 * @example
 * const { tensors, metadata } = await readSafetensors('ckpt/last.safetensors');
 * const step = Number(metadata['step']);
 */
export async function readSafetensors(
  path: string,
  options: ReadSafetensorsOptions = {},
): Promise<SafetensorsContents> {
  return decodeSafetensors(await readWholeFile(path), { ...options, source: path });
}

async function readWholeFile(path: string): Promise<Uint8Array> {
  const fail = (received: string, hint: string, cause?: unknown): never => {
    const where = `file ${path}`;
    throw new CheckpointError({ op: 'checkpoint.read', expected: 'a readable file', received, where, hint, cause });
  };
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) =>
    fail(`${error.code} (${error.message})`, 'check the path and its permissions', error),
  );
  try {
    const { size } = await handle.stat();
    if (size > constants.MAX_LENGTH) {
      fail(`${size} bytes`, `files over ${constants.MAX_LENGTH} bytes cannot be held in memory`);
    }
    // Not pooled, so the data section keeps the 8-byte alignment the header padding gives it.
    const bytes = Buffer.allocUnsafeSlow(size);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) fail(`${at} of ${size} bytes`, 'the file shrank while being read');
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
