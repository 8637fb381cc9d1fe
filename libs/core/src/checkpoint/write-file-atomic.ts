import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CheckpointError, OmnitrainError } from '../errors.js';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Called after each write with the number of bytes written so far. Default: none. */
  onProgress?: (bytesWritten: number) => void;
}

/** Writes at most this much per call, so progress is reported often and no call hits the OS's size cap. */
const WRITE_CHUNK = 16 * 2 ** 20;
/** A temporary file untouched this long belongs to no live writer, whatever host wrote it. */
const STALE_AFTER_MS = 24 * 3600 * 1000;
/** This host in temporary file names: a short hash, so names stay short and portable. */
const HOST = crc32(hostname()).toString(16).padStart(8, '0');

/**
 * Replaces the file at `path` with `chunks` so that readers, and the file after a crash or power
 * loss, see either the old contents or the new ones, never a mix: writes a temporary file
 * `.<name>.tmp-<host>-<pid>-<random>` in the same directory, fsyncs it, renames it over `path` and
 * fsyncs the directory. On failure the temporary file is removed and `path` is untouched.
 *
 * Before writing, it removes temporary files of earlier writes to `path` whose writer is gone
 * (a dead process on this host, or a file untouched for a day), so crashed writers leave no litter.
 *
 * @param path The file to create or replace; its directory must exist.
 * @param chunks The new contents, in order; the chunks are not copied.
 * @returns The number of bytes written.
 * @throws {CheckpointError} naming `path` when the file system refuses (missing directory, no space).
 *
 * @example
 * await writeFileAtomic('runs/a/state.json', [Buffer.from(JSON.stringify(state))]);
 */
export async function writeFileAtomic(
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: WriteFileAtomicOptions = {},
): Promise<number> {
  const dir = dirname(path);
  await removeStaleTempFiles(path);
  const temp = join(dir, `${tempPrefix(path)}${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    let written = 0;
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.byteLength; at += WRITE_CHUNK) {
        const piece = chunk.subarray(at, at + WRITE_CHUNK);
        await writeAll(handle, piece);
        written += piece.byteLength;
        options.onProgress?.(written);
      }
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
    await syncDirectory(dir);
    return written;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw asCheckpointError(error, path);
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.tmp-`;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength; ) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.byteLength - at);
    at += bytesWritten;
  }
}

/** Makes the rename itself durable: on POSIX a rename lives in the directory's data. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeStaleTempFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = tempPrefix(path);
  const names = await readdir(dir).catch(() => [] as string[]); // a missing dir is reported by open()
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^([0-9a-f]{8})-(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length)); // host-pid-random
    if (!match) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) continue; // another writer removed it first
    const writerGone = match[1] === HOST && !isAlive(Number(match[2]));
    if (writerGone || Date.now() - info.mtimeMs > STALE_AFTER_MS) await unlink(file).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

const HINTS: Record<string, string> = {
  ENOENT: 'create the directory first',
  EACCES: "check the directory's permissions",
  EPERM: "check the directory's permissions",
  EROFS: 'the file system is read-only',
  ENOSPC: 'free some disk space',
  EDQUOT: 'free some disk space (quota exceeded)',
  EISDIR: 'the path names a directory',
};

/** File-system errors become CheckpointErrors naming the file; errors from `chunks` pass through. */
function asCheckpointError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof OmnitrainError || typeof code !== 'string') return error;
  const hint = HINTS[code];
  return new CheckpointError({
    op: 'checkpoint.write',
    expected: 'to write a temporary file beside the target and rename it over the target',
    received: `${code} (${(error as Error).message})`,
    where: `file ${path}`,
    hint: `${hint ? `${hint}; ` : ''}any previous file at this path is intact`,
    cause: error,
  });
}
